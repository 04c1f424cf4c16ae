package io.matrixinstall.tls;

import static io.matrixinstall.tls.TestCertificates.CA;
import static io.matrixinstall.tls.TestCertificates.ecKey;
import static io.matrixinstall.tls.TestCertificates.leaf;
import static io.matrixinstall.tls.TestCertificates.pem;
import static io.matrixinstall.tls.TestCertificates.pkcs8;
import static io.matrixinstall.tls.TestCertificates.rsaKey;
import static io.matrixinstall.tls.TestCertificates.traditional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant YEAR_AGO = NOW.minus(Duration.ofDays(365));
    private static final Instant IN_60_DAYS = NOW.plus(Duration.ofDays(60));

    private final KeyPair key = ecKey();
    private final X509Certificate matrix = leaf(key, List.of("matrix.example.org", "example.org"), YEAR_AGO, IN_60_DAYS);

    @Test
    void usableChainAndKeyPassEveryCheck() {
        CertificateFiles.CertificateAndKey usable =
                CertificateFiles.checkUsable(pem(matrix, CA), pkcs8(key.getPrivate()), "matrix.example.org", NOW);

        assertEquals(matrix, usable.leaf());
        assertEquals(List.of(matrix, CA), usable.chain());
    }

    @Test
    void readsOpenSslTraditionalKeysAndRsa() {
        KeyPair rsa = rsaKey();
        X509Certificate rsaLeaf = leaf(rsa, List.of("matrix.example.org"), YEAR_AGO, IN_60_DAYS);

        // acme4j's keys (BouncyCastle's) carry their curve in the traditional form, as OpenSSL's do.
        KeyPair ec = AccountKeys.create();
        X509Certificate ecLeaf = leaf(ec, List.of("matrix.example.org"), YEAR_AGO, IN_60_DAYS);

        CertificateFiles.checkUsable(pem(rsaLeaf), traditional(rsa), "matrix.example.org", NOW);
        CertificateFiles.checkUsable(pem(ecLeaf), AccountKeys.toPem(ec), "matrix.example.org", NOW);
    }

    @Test
    void expiredCertificateNamesTheDay() {
        X509Certificate expired = leaf(key, List.of("matrix.example.org"), YEAR_AGO, Instant.parse("2026-01-02T12:00:00Z"));

        assertMessage("certificate expired on 2026-01-02",
                () -> CertificateFiles.checkUsable(pem(expired), pkcs8(key.getPrivate()), "matrix.example.org", NOW));
    }

    @Test
    void certificateNotYetValid() {
        X509Certificate future = leaf(key, List.of("matrix.example.org"), Instant.parse("2026-04-05T00:00:00Z"),
                Instant.parse("2026-07-01T00:00:00Z"));

        assertMessage("certificate is not valid before 2026-04-05", () -> CertificateFiles.checkValidAt(future, NOW));
    }

    @Test
    void wrongNameListsTheCertificateNames() {
        X509Certificate other = leaf(key, List.of("a.example.org", "b.example.org"), YEAR_AGO, IN_60_DAYS);

        assertMessage("certificate is for a.example.org, b.example.org, not matrix.example.org",
                () -> CertificateFiles.checkUsable(pem(other), pkcs8(key.getPrivate()), "matrix.example.org", NOW));
    }

    @Test
    void certificateWithoutSubjectAltName() {
        X509Certificate bare = leaf(key, List.of(), YEAR_AGO, IN_60_DAYS);

        assertMessage("certificate names no host (it has no DNS subjectAltName), not matrix.example.org",
                () -> CertificateFiles.checkCovers(bare, "matrix.example.org"));
    }

    @Test
    void wildcardCoversExactlyOneLabel() {
        X509Certificate wildcard = leaf(key, List.of("*.example.org"), YEAR_AGO, IN_60_DAYS);

        assertTrue(CertificateFiles.covers(wildcard, "matrix.example.org"));
        assertTrue(CertificateFiles.covers(wildcard, "MATRIX.Example.org"));
        assertFalse(CertificateFiles.covers(wildcard, "example.org"));
        assertFalse(CertificateFiles.covers(wildcard, "a.matrix.example.org"));
        assertFalse(CertificateFiles.covers(wildcard, "matrix.example.org.evil.test"));
        assertFalse(CertificateFiles.covers(wildcard, "matrixexample.org"));
        assertMessage("certificate is for *.example.org, not example.org",
                () -> CertificateFiles.checkCovers(wildcard, "example.org"));
    }

    @Test
    void exactNamesAreCaseInsensitive() {
        assertTrue(CertificateFiles.covers(matrix, "Matrix.Example.ORG"));
        assertFalse(CertificateFiles.covers(matrix, "element.example.org"));
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        assertMessage("private key does not match the certificate",
                () -> CertificateFiles.checkUsable(pem(matrix), pkcs8(ecKey().getPrivate()), "matrix.example.org", NOW));
        assertMessage("private key does not match the certificate",
                () -> CertificateFiles.checkKeyMatches(matrix, rsaKey().getPrivate()));
    }

    @Test
    void renewalWindow() {
        X509Certificate tenDaysLeft = leaf(key, List.of("matrix.example.org"), YEAR_AGO, NOW.plus(Duration.ofDays(10)));

        assertTrue(CertificateFiles.needsRenewal(tenDaysLeft, CertificateFiles.DEFAULT_RENEWAL_WINDOW, NOW));
        assertFalse(CertificateFiles.needsRenewal(matrix, CertificateFiles.DEFAULT_RENEWAL_WINDOW, NOW));
        assertTrue(CertificateFiles.needsRenewal(matrix, Duration.ofDays(90), NOW));
        assertFalse(CertificateFiles.needsRenewal(matrix, Duration.ofDays(59), NOW));
        assertTrue(CertificateFiles.needsRenewal(matrix, Duration.ofDays(30), NOW.plus(Duration.ofDays(31))));
        assertEquals(60, CertificateFiles.daysUntilExpiry(matrix, NOW));
        assertEquals(-1, CertificateFiles.daysUntilExpiry(matrix, IN_60_DAYS.plus(Duration.ofDays(1))));
    }

    @Test
    void defaultWindowIsThirtyDaysFromNow() {
        X509Certificate soon = leaf(key, List.of("matrix.example.org"), YEAR_AGO, Instant.now().plus(Duration.ofDays(29)));
        X509Certificate later = leaf(key, List.of("matrix.example.org"), YEAR_AGO, Instant.now().plus(Duration.ofDays(31)));

        assertTrue(CertificateFiles.needsRenewal(soon));
        assertFalse(CertificateFiles.needsRenewal(later));
    }

    @Test
    void chainKeepsFileOrderAndIgnoresTextAround() {
        String annotated = "subject=CN=matrix.example.org\n" + pem(matrix) + "\nissuer: test CA\n" + pem(CA);

        assertEquals(List.of(matrix, CA), CertificateFiles.parseChain(annotated));
    }

    @Test
    void chainFileWithoutCertificate() {
        assertMessage("no certificate found (expected -----BEGIN CERTIFICATE-----)",
                () -> CertificateFiles.parseChain("hello\n"));
    }

    @Test
    void privateKeyInTheCertificateFileIsRefused() {
        assertMessage("the certificate file also holds a private key; give the key as a separate file",
                () -> CertificateFiles.parseChain(pem(matrix) + pkcs8(key.getPrivate())));
    }

    @Test
    void missingOrEncryptedKey() throws Exception {
        assertMessage("no private key found (expected -----BEGIN PRIVATE KEY-----)",
                () -> CertificateFiles.parsePrivateKey(pem(matrix)));

        StringWriter encrypted = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(encrypted)) {
            writer.writeObject(new JcaPKCS8Generator(key.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setPassword("pw".toCharArray()).build()));
        }
        assertMessage("the private key is encrypted; nginx needs it without a passphrase "
                + "(openssl pkey -in key.pem -out plain.pem)", () -> CertificateFiles.parsePrivateKey(encrypted.toString()));
    }

    @Test
    void checksFiles(@TempDir Path dir) throws Exception {
        Path chain = Files.writeString(dir.resolve("fullchain.pem"), pem(matrix, CA));
        Path privkey = Files.writeString(dir.resolve("privkey.pem"), pkcs8(key.getPrivate()));

        assertEquals(matrix, CertificateFiles.checkUsable(chain, privkey, "example.org", NOW).leaf());
    }

    private static void assertMessage(String expected, Executable executable) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, executable).getMessage());
    }
}
