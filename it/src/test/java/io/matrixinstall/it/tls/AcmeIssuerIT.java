package io.matrixinstall.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.tls.AccountKeys;
import io.matrixinstall.tls.AcmeIssuanceException;
import io.matrixinstall.tls.AcmeIssuer;
import io.matrixinstall.tls.CertificateFiles;
import io.matrixinstall.tls.ChallengePublisher;
import io.matrixinstall.tls.IssuedCertificate;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.tls.WebrootChallengePublisher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AcmeIssuer against a real ACME server: Pebble validates HTTP-01 by fetching from the webroot server
 * here (standing in for nginx), and issues real certificates.
 */
class AcmeIssuerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String EMAIL = "admin@example.org";

    @TempDir
    static Path dir;
    static Path webroot;
    static WebrootHttpServer webserver;
    static PebbleCa pebble;
    static AcmeIssuer issuer;

    @BeforeAll
    static void startPebble() throws Exception {
        PebbleCa.requireInstalled();
        webroot = Files.createDirectories(dir.resolve("webroot"));
        webserver = new WebrootHttpServer(webroot);
        pebble = new PebbleCa(Files.createDirectories(dir.resolve("pebble")), webserver.port());
        issuer = new AcmeIssuer(pebble.directory(), pebble.tlsRootPem());
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
        if (webserver != null) {
            webserver.close();
        }
    }

    @Test
    void issuesAChainPebbleSignedThenANewCertificateOnRenewal() throws Exception {
        KeyPair account = AccountKeys.create();
        List<String> domains = List.of("matrix.example.org", "element.example.org");
        RecordingPublisher publisher = new RecordingPublisher(new WebrootChallengePublisher(new LocalHost(), webroot.resolve(".well-known/acme-challenge")));

        IssuedCertificate first = issue(account, domains, publisher);

        assertEquals(Set.copyOf(domains), Set.copyOf(CertificateFiles.dnsNames(first.leaf())));
        assertChainedTo(pebble.issuingRootPem(), first.fullchainPem());
        CertificateFiles.checkUsable(first.fullchainPem(), first.privateKeyPem(), "element.example.org", Instant.now());
        assertEquals(CertificateFiles.parseChain(first.fullchainPem()),
                CertificateFiles.parseChain(first.certPem() + first.chainPem()));
        assertEquals(first.leaf(), CertificateFiles.parseChain(first.certPem()).get(0));
        assertTrue(first.notAfter().isAfter(Instant.now().plus(Duration.ofDays(30))), "valid until " + first.notAfter());
        assertEquals(2, publisher.published.size(), "one HTTP-01 challenge per domain");
        assertEquals(publisher.published, publisher.withdrawn);
        assertNoChallengeFilesLeft();

        // Renewal: the account key as it would be read back from disk; the CA finds the account and still
        // holds valid authorizations for it, so no challenge is needed.
        RecordingPublisher renewal = new RecordingPublisher(new WebrootChallengePublisher(new LocalHost(), webroot.resolve(".well-known/acme-challenge")));
        IssuedCertificate second = issue(AccountKeys.fromPem(AccountKeys.toPem(account)), domains, renewal);

        assertNotEquals(first.serial(), second.serial());
        assertNotEquals(first.privateKeyPem(), second.privateKeyPem(), "every certificate gets a new key");
        assertChainedTo(pebble.issuingRootPem(), second.fullchainPem());
        assertEquals(List.of(), renewal.published, "authorizations of the same account are reused");
    }

    @Test
    void challengeTheCaCannotFetchNamesTheDomainAndTheProblem() throws Exception {
        webserver.refuse("broken.example.org");
        RecordingPublisher publisher = new RecordingPublisher(new WebrootChallengePublisher(new LocalHost(), webroot.resolve(".well-known/acme-challenge")));

        AcmeIssuanceException e = assertThrows(AcmeIssuanceException.class, () -> issue(AccountKeys.create(),
                List.of("matrix.example.org", "broken.example.org"), publisher));

        assertTrue(e.getMessage().startsWith("broken.example.org: the CA could not fetch the HTTP-01 challenge: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertEquals(publisher.published, publisher.withdrawn, "tokens are withdrawn on failure too");
        assertNoChallengeFilesLeft();
    }

    @Test
    void waitingForTheCaIsBoundedByTheTimeout() throws Exception {
        webserver.stall("slow.example.org");
        RecordingPublisher publisher = new RecordingPublisher(new WebrootChallengePublisher(new LocalHost(), webroot.resolve(".well-known/acme-challenge")));
        Instant start = Instant.now();

        AcmeIssuanceException e = assertThrows(AcmeIssuanceException.class, () -> issuer.issue(AccountKeys.create(),
                EMAIL, List.of("slow.example.org"), publisher, Duration.ofSeconds(4)));

        Duration took = Duration.between(start, Instant.now());
        assertEquals("slow.example.org: no result from the CA within 4 seconds", e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "took " + took);
        assertEquals(1, publisher.published.size());
        assertEquals(publisher.published, publisher.withdrawn);
        assertNoChallengeFilesLeft();
    }

    @Test
    void pebblesHttpsIsTrustedOnlyThroughTheExtraRoot() {
        AcmeIssuer withoutExtraRoot = new AcmeIssuer(pebble.directory());

        AcmeIssuanceException e = assertThrows(AcmeIssuanceException.class, () -> withoutExtraRoot.issue(
                AccountKeys.create(), EMAIL, List.of("matrix.example.org"), new RecordingPublisher(null), TIMEOUT));

        assertTrue(e.getMessage().startsWith("cannot register the ACME account " + EMAIL + " with " + pebble.directory()
                + ": cannot reach 127.0.0.1: "), e.getMessage());
        assertTrue(e.getMessage().contains("its HTTPS certificate is not trusted"), e.getMessage());
    }

    private static IssuedCertificate issue(KeyPair account, List<String> domains, ChallengePublisher publisher) {
        try {
            return issuer.issue(account, EMAIL, domains, publisher, TIMEOUT);
        } catch (AcmeIssuanceException | AssertionError e) {
            if (!e.getMessage().contains("could not fetch")) {
                e.addSuppressed(new AssertionError(pebble.logs()));
            }
            throw e;
        }
    }

    /** The chain (leaf first) leads to {@code rootPem} under PKIX rules at the current time. */
    private static void assertChainedTo(String rootPem, String fullchainPem) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate root = (X509Certificate) factory.generateCertificate(
                new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII)));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                factory.generateCertPath(CertificateFiles.parseChain(fullchainPem)), parameters);
    }

    private static void assertNoChallengeFilesLeft() throws Exception {
        Path challenges = webroot.resolve(".well-known/acme-challenge");
        if (Files.isDirectory(challenges)) {
            try (Stream<Path> left = Files.list(challenges)) {
                assertEquals(List.of(), left.toList());
            }
        }
    }

    /** Passes calls on and remembers them. */
    private static final class RecordingPublisher implements ChallengePublisher {
        final ChallengePublisher target;
        final List<String> published = new ArrayList<>();
        final List<String> withdrawn = new ArrayList<>();

        RecordingPublisher(ChallengePublisher target) {
            this.target = target;
        }

        @Override
        public void publish(String token, String keyAuthorization) {
            published.add(token);
            target.publish(token, keyAuthorization);
        }

        @Override
        public void withdraw(String token) {
            withdrawn.add(token);
            target.withdraw(token);
        }
    }
}
