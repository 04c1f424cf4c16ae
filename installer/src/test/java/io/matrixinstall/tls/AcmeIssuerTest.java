package io.matrixinstall.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What fails before or without a CA; issuing against a real one is AcmeIssuerIT (Pebble). */
class AcmeIssuerTest {
    private static final ChallengePublisher NOWHERE = new ChallengePublisher() {
        @Override
        public void publish(String token, String keyAuthorization) {
            throw new AssertionError("nothing to publish");
        }

        @Override
        public void withdraw(String token) {
        }
    };

    @Test
    void wildcardNamesAreRefusedBeforeContactingTheCa() {
        AcmeIssuer issuer = new AcmeIssuer(URI.create("https://127.0.0.1:9/dir"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> issuer.issue(
                AccountKeys.create(), null, List.of("matrix.example.org", "*.example.org"), NOWHERE, Duration.ofSeconds(5)));

        assertEquals("*.example.org: a wildcard name needs a DNS-01 challenge, not HTTP-01", e.getMessage());
    }

    @Test
    void unreachableDirectoryNamesTheServer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        AcmeIssuer issuer = new AcmeIssuer(URI.create("https://127.0.0.1:" + closedPort + "/dir"),
                TestCertificates.pem(TestCertificates.CA));

        AcmeIssuanceException e = assertThrows(AcmeIssuanceException.class, () -> issuer.issue(
                AccountKeys.create(), "admin@example.org", List.of("matrix.example.org"), NOWHERE, Duration.ofSeconds(5)));

        assertEquals("cannot register the ACME account admin@example.org with https://127.0.0.1:" + closedPort
                + "/dir: cannot reach 127.0.0.1: cannot connect", e.getMessage());
    }

    @Test
    void extraRootMustBeACertificate() {
        assertThrows(IllegalArgumentException.class, () -> new AcmeIssuer(AcmeIssuer.LETS_ENCRYPT_STAGING, "nothing"));
    }
}
