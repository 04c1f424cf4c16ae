package io.matrixinstall.it.tls;

import io.matrixinstall.it.Agent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real ACME CA on loopback: Debian's {@code pebble} with {@code pebble-challtestsrv} as its DNS server
 * (every name is 127.0.0.1, no AAAA), so HTTP-01 validation comes back to {@code httpPort} on this machine.
 * The Debian package ships no certificate for Pebble's own HTTPS, so one is made here, signed by a
 * throw-away CA that only the test's clients trust ({@link #tlsRootPem()}).
 */
public final class PebbleCa implements AutoCloseable {
    static final String PEBBLE = "/usr/bin/pebble";
    static final String CHALLTESTSRV = "/usr/bin/pebble-challtestsrv";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int acmePort = freePort();
    private final int managementPort = freePort();
    private final int dnsPort = freePort();
    private final int challtestsrvManagementPort = freePort();
    private final String tlsRootPem;
    private final SSLContext tlsTrust;
    private final List<Process> processes = new ArrayList<>();

    /** Starts both servers; {@code httpPort} is where Pebble will fetch HTTP-01 answers (on 127.0.0.1). */
    /**
     * A Pebble in {@code agent}'s tree that validates HTTP-01 on {@code httpPort}, and the agent set to use it (its
     * directory URL and the root of its HTTPS, written to the tree).
     */
    static PebbleCa forAgent(Agent agent, int httpPort) throws Exception {
        PebbleCa pebble = new PebbleCa(Files.createDirectories(agent.tree().resolve("pebble")), httpPort);
        Path root = Files.writeString(agent.tree().resolve("pebble-https-root.pem"), pebble.tlsRootPem());
        agent.settings("--set", "tls.acme.directory=" + pebble.directory(), "--set", "tls.acme.ca_certificate=" + root);
        return pebble;
    }

    PebbleCa(Path dir, int httpPort) throws Exception {
        this(dir, httpPort, null);
    }

    /**
     * Pebble alone, resolving through {@code dnsServer} (HOST:PORT, e.g. scripts/harness-dns.sh's): HTTP-01 goes to
     * {@code httpPort} of whatever address that server gives each name. Null: challtestsrv, every name 127.0.0.1.
     */
    public PebbleCa(Path dir, int httpPort, String dnsServer) throws Exception {
        requireInstalled();
        this.dir = dir;
        KeyPair caKey = ecKey();
        X509Certificate ca = certificate(caKey, caKey, null, "CN=matrix-install test CA for Pebble's HTTPS", true);
        KeyPair serverKey = ecKey();
        X509Certificate server = certificate(serverKey, caKey, ca, "CN=127.0.0.1", false);
        tlsRootPem = pem(ca);
        tlsTrust = trusting(ca);
        Files.writeString(dir.resolve("pebble-tls.pem"), pem(server));
        Files.writeString(dir.resolve("pebble-tls.key"), pem(new JcaPKCS8Generator(serverKey.getPrivate(), null)));
        Path config = Files.writeString(dir.resolve("pebble-config.json"), """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "",
                  "externalAccountBindingRequired": false
                }}
                """.formatted(acmePort, managementPort, dir.resolve("pebble-tls.pem"), dir.resolve("pebble-tls.key"),
                httpPort, freePort()));
        try {
            if (dnsServer != null) {
                start("pebble", List.of(PEBBLE, "-config", config.toString(), "-dnsserver", dnsServer),
                        Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "100"));
                awaitDirectory();
                return;
            }
            start("challtestsrv", List.of(CHALLTESTSRV, "-dns01", "127.0.0.1:" + dnsPort, "-http01", "",
                    "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + challtestsrvManagementPort,
                    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""), Map.of());
            awaitListening("pebble-challtestsrv", challtestsrvManagementPort);
            // NOSLEEP: validate at once, not after a random pause; NONCEREJECT=0: no deliberately refused nonces;
            // AUTHZREUSE=100: a valid authorization is always reused for the same account, like Let's Encrypt.
            start("pebble", List.of(PEBBLE, "-config", config.toString(), "-dnsserver", "127.0.0.1:" + dnsPort),
                    Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "100"));
            awaitDirectory();
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Fails (never skips) when the package is missing: the test host is not prepared. */
    static void requireInstalled() {
        for (String binary : List.of(PEBBLE, CHALLTESTSRV)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new AssertionError(binary + " is missing (Debian package pebble): run scripts/prepare-test-host.sh");
            }
        }
    }

    public URI directory() {
        return URI.create("https://127.0.0.1:" + acmePort + "/dir");
    }

    /** The root of Pebble's own HTTPS (not of the certificates it issues). */
    public String tlsRootPem() {
        return tlsRootPem;
    }

    /** The root Pebble signs issued certificates with; generated at every start, so read it from Pebble. */
    public String issuingRootPem() throws Exception {
        return get(URI.create("https://127.0.0.1:" + managementPort + "/roots/0"));
    }

    /** What both servers printed, for failure messages. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("challtestsrv", "pebble")) {
            try {
                out.append("--- ").append(name).append('\n').append(Files.readString(dir.resolve(name + ".log")));
            } catch (IOException e) {
                out.append("--- ").append(name).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private void start(String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        processes.add(builder.start());
    }

    private void awaitListening(String name, int port) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            assertAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT + "\n" + logs());
    }

    private void awaitDirectory() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            assertAlive();
            try {
                if (get(directory()).contains("newAccount")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("pebble did not serve " + directory() + " within " + START_TIMEOUT + " (" + last + ")\n"
                + logs());
    }

    private void assertAlive() {
        for (Process process : processes) {
            if (!process.isAlive()) {
                throw new AssertionError(process.info().command().orElse("?") + " exited with "
                        + process.exitValue() + "\n" + logs());
            }
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(tlsTrust).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A CA certificate, or a server certificate for 127.0.0.1 signed by {@code issuer}. */
    private static X509Certificate certificate(KeyPair subjectKey, KeyPair issuerKey, X509Certificate issuer,
                                               String subject, boolean ca) throws Exception {
        Instant now = Instant.now();
        X500Name issuerName = issuer == null ? new X500Name(subject)
                : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), subjectKey.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    private static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("root", root);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
