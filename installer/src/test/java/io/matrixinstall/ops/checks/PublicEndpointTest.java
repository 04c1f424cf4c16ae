package io.matrixinstall.ops.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.ForwardedServer;
import io.matrixinstall.host.RecordingHost;
import io.matrixinstall.tls.CertificateFiles;
import io.matrixinstall.tls.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * doctor's public probes connect to the host's own listeners through {@code Host.reach} (an SSH forward when
 * remote), naming the domain in TLS SNI and in Host as a client would, and hand back the chain that was served.
 */
class PublicEndpointTest {
    private static final int FORWARDED = 21302;
    private static final String DOMAIN = "matrix.example.org";

    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private ForwardedServer server;

    @BeforeEach
    void tlsServerBehindTheForward() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(List.of(DOMAIN), Duration.ofDays(30));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        PrivateKey key = CertificateFiles.parsePrivateKey(certificate.privateKeyPem());
        store.setKeyEntry("leaf", key, new char[0],
                CertificateFiles.parseChain(certificate.certificatePem()).toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new javax.net.ssl.KeyManager[] {new SniRecorder((X509KeyManager) keys.getKeyManagers()[0])}, null, null);
        server = ForwardedServer.start(FORWARDED, Optional.of(tls), exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            return "{\"m.server\": \"matrix.example.org:443\"}".getBytes(StandardCharsets.UTF_8);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connectsThroughTheHostNamingTheDomain() {
        RecordingHost host = new RecordingHost().forward("127.0.0.1", 443, new InetSocketAddress("127.0.0.1", FORWARDED));
        PublicEndpoint.Response response = new PublicEndpoint(host).get(DOMAIN, 443, "/.well-known/matrix/server");
        assertEquals(200, response.status());
        assertEquals("application/json", response.header("content-type"));
        assertTrue(response.body().contains("matrix.example.org:443"), response.body());
        assertTrue(CertificateFiles.covers(response.chain().get(0), DOMAIN), "the served chain comes back");
        assertEquals(List.of("127.0.0.1:443"), host.reached);
        assertEquals(List.of(DOMAIN), serverNames, "SNI names the domain");
        assertTrue(hostHeaders.get(0).startsWith(DOMAIN), "Host names the domain: " + hostHeaders);
    }

    @Test
    void aListenerThatDoesNotAnswerIsOneLineNamingTheHost() {
        RecordingHost host = new RecordingHost().forward("127.0.0.1", 8448, new InetSocketAddress("127.0.0.1", 21309));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PublicEndpoint(host).get(DOMAIN, 8448, "/_matrix/key/v2/server"));
        assertTrue(e.getMessage().startsWith("https://matrix.example.org:8448/_matrix/key/v2/server does not answer on"
                + " recording host: "), e.getMessage());
    }

    /** The server's key manager, noting the name each client asked for (SNI) before choosing the one key. */
    private final class SniRecorder extends X509ExtendedKeyManager {
        private final X509KeyManager inner;

        SniRecorder(X509KeyManager inner) {
            this.inner = inner;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (engine.getHandshakeSession() instanceof ExtendedSSLSession session) {
                session.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
                        .map(name -> ((SNIHostName) name).getAsciiName()).forEach(serverNames::add);
            }
            return inner.chooseServerAlias(keyType, issuers, null);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return inner.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return inner.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return inner.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return inner.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return inner.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return inner.getPrivateKey(alias);
        }
    }
}
