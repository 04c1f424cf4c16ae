package io.matrixinstall.ops.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.SshdExtension;
import io.matrixinstall.host.TestDns;
import io.matrixinstall.host.TestSshd;
import io.matrixinstall.ops.StatusReader;
import io.matrixinstall.tls.CertificateFiles;
import io.matrixinstall.tls.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's federation check against real parts: a DNS server (dnsmasq) serving the A and SRV records, TLS servers
 * on loopback addresses (one on 443 for the well-known) serving key documents signed like Synapse signs them, the
 * real DNS script run by the host, locally and over SSH. Each failure names its discovery step.
 */
class FederationProbeTest {
    private static final int DNS_PORT = 25053;
    private static final String SERVERS = "127.0.25.2";
    private static final String WELL_KNOWN = "127.0.25.1";
    private static final int GOOD = 25048;
    private static final int WRONG_NAME = 25049;
    private static final int UNTRUSTED = 25050;
    private static final HealthCheck FEDERATION = new HealthCheck("federation", "Federation", List.of("doctor"), "federation",
            Map.of(), "see the message");

    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(TestSshd.freePort());

    @TempDir
    static Path dir;

    private static TestDns dns;
    private static final List<HttpsServer> servers = new ArrayList<>();
    private static final Set<X509Certificate> trusted = new HashSet<>();
    private static final Map<String, String> pems = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        dns = new TestDns(DNS_PORT, dir, List.of(
                "host-record=matrix.srv.test," + SERVERS,
                "srv-host=_matrix-fed._tcp.srv.test,matrix.srv.test," + GOOD + ",10,0",
                "srv-host=_matrix._tcp.legacy.test,matrix.srv.test," + GOOD,
                "srv-host=_matrix-fed._tcp.badsig.test,matrix.srv.test," + GOOD,
                "srv-host=_matrix-fed._tcp.expired.test,matrix.srv.test," + GOOD,
                "srv-host=_matrix-fed._tcp.wrongcert.test,matrix.srv.test," + WRONG_NAME,
                "srv-host=_matrix-fed._tcp.untrusted.test,matrix.srv.test," + UNTRUSTED,
                "host-record=wk.test," + WELL_KNOWN,
                "host-record=matrix.wk.test," + SERVERS,
                "host-record=none.test,127.0.25.3",
                "srv-host=_matrix-fed._tcp.closed.test,matrix.srv.test,25047"));
        long hour = System.currentTimeMillis() + 3600_000;
        Map<String, String> keys = Map.of(
                "srv.test", ServerKeyProbeTest.signedDocument("srv.test", "a", hour).toString(),
                "legacy.test", ServerKeyProbeTest.signedDocument("legacy.test", "a", hour).toString(),
                "matrix.wk.test", ServerKeyProbeTest.signedDocument("wk.test", "a", hour).toString(),
                "badsig.test", ((ObjectNode) ServerKeyProbeTest.signedDocument("badsig.test", "a", hour)).put("x_brand", "b").toString(),
                "expired.test", ServerKeyProbeTest.signedDocument("expired.test", "a", System.currentTimeMillis() - 60_000).toString(),
                "wrongcert.test", ServerKeyProbeTest.signedDocument("wrongcert.test", "a", hour).toString(),
                "untrusted.test", ServerKeyProbeTest.signedDocument("untrusted.test", "a", hour).toString());
        serve(SERVERS, GOOD, List.of("srv.test", "legacy.test", "matrix.wk.test", "badsig.test", "expired.test"), true, keys);
        serve(SERVERS, WRONG_NAME, List.of("matrix.srv.test"), true, keys);
        serve(SERVERS, UNTRUSTED, List.of("untrusted.test"), false, keys);
        serve(WELL_KNOWN, 443, List.of("wk.test"), true, Map.of("wk.test", "{\"m.server\": \"matrix.wk.test:" + GOOD + "\"}"));
    }

    /** An HTTPS listener answering each request with the body for its Host header's name (whatever the path). */
    private static void serve(String address, int port, List<String> names, boolean trust, Map<String, String> bodies)
            throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(names, Duration.ofDays(30));
        List<X509Certificate> chain = CertificateFiles.parseChain(certificate.certificatePem());
        pems.put(names.get(0), certificate.certificatePem());
        if (trust) {
            trusted.add(chain.get(0));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("leaf", CertificateFiles.parsePrivateKey(certificate.privateKeyPem()), new char[0],
                chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String name = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
            String body = bodies.get(name);
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.forEach(server -> server.stop(0));
        dns.close();
    }

    private static CheckResult check(Host host, String serverName) {
        return check(host, serverName, Map.of());
    }

    private static CheckResult check(Host host, String serverName, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("domain", "matrix." + serverName, "server_name",
                serverName, "email", "admin@example.org", "tls.mode", "acme"));
        settings.putAll(more);
        InstallConfig config = ConfigLoader.load(Optional.empty(), settings);
        PublicEndpoint endpoint = new PublicEndpoint(host) {
            @Override
            public boolean trusted(List<X509Certificate> chain) {
                return trusted.contains(chain.get(0));
            }
        };
        return new FederationProbe().run(FEDERATION, new CheckContext(config, host, new StatusReader(host, config), endpoint,
                dns.on(host)));
    }

    private static CheckResult check(String serverName) {
        return check(new LocalHost(), serverName);
    }

    private static void assertFails(CheckResult result, String start, String contains) {
        assertEquals(CheckResult.Status.FAIL, result.status(), result.message());
        assertTrue(result.message().startsWith(start), result.message());
        assertTrue(result.message().contains(contains), result.message());
    }

    @Test
    void anSrvRecordLeadsToTheServerWhoseCertificateCoversTheServerName() {
        CheckResult result = check("srv.test");
        assertEquals(CheckResult.Status.OK, result.status(), result.message());
        assertTrue(result.message().startsWith("srv.test → no well-known (srv.test does not resolve); SRV _matrix-fed._tcp.srv.test"
                + " [matrix.srv.test:" + GOOD + "]: connected to " + SERVERS + ":" + GOOD + ", certificate for srv.test, verified the"
                + " signature of srv.test with ed25519:a_1"), result.message());
    }

    @Test
    void theDeprecatedSrvRecordIsStillFollowed() {
        CheckResult result = check("legacy.test");
        assertEquals(CheckResult.Status.OK, result.status(), result.message());
        assertTrue(result.message().contains("SRV _matrix._tcp.legacy.test"), result.message());
    }

    @Test
    void aWellKnownDelegatesToAHostWhoseCertificateMustCoverTheDelegatedName() {
        CheckResult result = check("wk.test");
        assertEquals(CheckResult.Status.OK, result.status(), result.message());
        assertTrue(result.message().startsWith("wk.test → well-known m.server matrix.wk.test:" + GOOD + ": connected to " + SERVERS
                + ":" + GOOD + ", certificate for matrix.wk.test, verified the signature of wk.test"), result.message());
    }

    @Test
    void noWellKnownAndNoSrvMeansPort8448WhichIsClosed() {
        assertFails(check("none.test"), "connect: no well-known (https://none.test/.well-known/matrix/server: 127.0.25.3:",
                "no SRV _matrix-fed._tcp.none.test or _matrix._tcp.none.test, so none.test:8448: 127.0.25.3:8448 ");
        assertTrue(check("none.test").message().contains("→ open port 8448 on none.test, or delegate:"));
    }

    @Test
    void anSrvRecordToAClosedPortFailsAtConnectNamingThatPort() {
        assertFails(check("closed.test"), "connect: no well-known (closed.test does not resolve); SRV _matrix-fed._tcp.closed.test"
                + " [matrix.srv.test:25047]: " + SERVERS + ":25047 connection refused", "→ open that port to other servers");
    }

    @Test
    void aNameWithNoRecordAtAllFailsAtTheAddressStep() {
        assertFails(check("nothing.test"), "address: no well-known (nothing.test does not resolve); no SRV",
                "→ publish an A (or AAAA) record for nothing.test");
    }

    @Test
    void aCertificateForAnotherNameFailsAtTheCertificateStep() {
        assertFails(check("wrongcert.test"), "certificate: ", "serves a certificate for [matrix.srv.test], not wrongcert.test");
    }

    @Test
    void anUntrustedChainFailsAtTheCertificateStep() {
        assertFails(check("untrusted.test"), "certificate: untrusted.test at " + SERVERS + ":" + UNTRUSTED,
                "leads to no trusted root");
    }

    /** federation.ca_certificate: the peers trust only those roots (Synapse's federation_custom_ca_list), so does doctor. */
    @Test
    void withAPrivateFederationCaOnlyItsRootsCount() throws Exception {
        Path roots = Files.writeString(dir.resolve("roots.pem"), pems.get("untrusted.test"));
        Map<String, String> privateCa = Map.of("federation.ca_certificate", roots.toString());
        CheckResult result = check(new LocalHost(), "untrusted.test", privateCa);
        assertEquals(CheckResult.Status.OK, result.status(), result.message());
        assertFails(check(new LocalHost(), "srv.test", privateCa), "certificate: srv.test at ",
                "leads to no trusted root of federation.ca_certificate");
    }

    @Test
    void aBadSignatureOrAnExpiredKeyFailsAtTheKeyStep() {
        assertFails(check("badsig.test"), "key: badsig.test at ", "the signature ed25519:a_1 does not verify");
        assertFails(check("expired.test"), "key: expired.test at ", "the key document expired");
    }

    @Test
    void overSshTheTargetAsksTheSameWay() {
        try (Host remote = SSHD.sshd().connectAsRoot(dir.resolve("run"))) {
            assertEquals(CheckResult.Status.OK, check(remote, "wk.test").status());
            assertEquals(check("srv.test").message(), check(remote, "srv.test").message());
            assertFails(check(remote, "none.test"), "connect: ", "none.test:8448");
        }
    }
}
