package io.matrixinstall.tls;

import io.matrixinstall.host.OperatorFile;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks on certificate files, as nginx will use them: the operator's own (tls.mode files) and the ones the
 * agent installed (renewal). Pure functions on PEM text; every failure is an {@link IllegalArgumentException}
 * whose message can be shown to the operator as it is.
 */
public final class CertificateFiles {
    /** Let's Encrypt issues for 90 days and certbot renews 30 days before the end; the agent does the same. */
    public static final Duration DEFAULT_RENEWAL_WINDOW = Duration.ofDays(30);

    private CertificateFiles() {
    }

    /** A certificate chain (leaf first, as nginx wants it) with its private key. */
    public record CertificateAndKey(List<X509Certificate> chain, PrivateKey privateKey) {
        public CertificateAndKey {
            chain = List.copyOf(chain);
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }

        @Override
        public String toString() {
            return "CertificateAndKey[" + leaf().getSubjectX500Principal().getName() + "]";
        }
    }

    /**
     * Everything nginx needs to serve {@code host} now: the chain parses, the key belongs to the leaf, the
     * leaf names the host and is within its validity period.
     */
    public static CertificateAndKey checkUsable(String chainPem, String privateKeyPem, String host, Instant now) {
        CertificateAndKey parsed = new CertificateAndKey(parseChain(chainPem), parsePrivateKey(privateKeyPem));
        checkKeyMatches(parsed.leaf(), parsed.privateKey());
        checkCovers(parsed.leaf(), host);
        checkValidAt(parsed.leaf(), now);
        return parsed;
    }

    /** {@link #checkUsable(String, String, String, Instant)} on files. */
    public static CertificateAndKey checkUsable(Path chainFile, Path privateKeyFile, String host, Instant now) {
        return checkUsable(read(chainFile), read(privateKeyFile), host, now);
    }

    /** The certificates of a PEM file in file order; text around the PEM blocks is ignored. */
    public static List<X509Certificate> parseChain(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof X509CertificateHolder holder) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                } else if (isPrivateKey(block)) {
                    // Refused rather than skipped: a key in the certificate file would be served to nobody but
                    // is readable by everyone (the certificate files are 0644).
                    throw new IllegalArgumentException("the certificate file also holds a private key; "
                            + "give the key as a separate file");
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate found (expected -----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(chain);
    }

    /** The first private key of a PEM file: PKCS#8 ({@code PRIVATE KEY}) or OpenSSL's EC/RSA forms. */
    public static PrivateKey parsePrivateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (block instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                    // nginx would ask for the passphrase on every start; nobody is there to type it.
                    throw new IllegalArgumentException("the private key is encrypted; nginx needs it without "
                            + "a passphrase (openssl pkey -in key.pem -out plain.pem)");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no private key found (expected -----BEGIN PRIVATE KEY-----)");
    }

    /**
     * Signs and verifies once with a throwaway P-256 key (the key check's work for the usual key): loads and warms the
     * JDK's EC code on a start-up thread, so that a run's check of the installed pair does not pay for it.
     */
    public static void warmUp() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            signsFor(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            // nothing warmed: the real check reports what fails
        }
    }

    /** Proves the key is the leaf's by signing with it and verifying with the certificate. */
    public static void checkKeyMatches(X509Certificate leaf, PrivateKey key) {
        boolean matches;
        try {
            matches = signsFor(key, leaf.getPublicKey());
        } catch (GeneralSecurityException e) {
            // e.g. an EC key against an RSA certificate: the verifier refuses the key type.
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("private key does not match the certificate");
        }
    }

    /** Whether {@code publicKey} verifies what {@code key} signs (a random probe): the two are one pair. */
    private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        String algorithm = signatureAlgorithm(key);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }

    /** Whether the leaf's subjectAltNames cover {@code host}: exactly, or by a wildcard for one label. */
    public static boolean covers(X509Certificate leaf, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        return dnsNames(leaf).stream().anyMatch(name -> nameMatches(name.toLowerCase(Locale.ROOT), wanted));
    }

    public static void checkCovers(X509Certificate leaf, String host) {
        if (!covers(leaf, host)) {
            List<String> names = dnsNames(leaf);
            throw new IllegalArgumentException(names.isEmpty()
                    ? "certificate names no host (it has no DNS subjectAltName), not " + host
                    : "certificate is for " + String.join(", ", names) + ", not " + host);
        }
    }

    /** Within notBefore..notAfter at {@code now}. */
    public static void checkValidAt(X509Certificate leaf, Instant now) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new IllegalArgumentException("certificate expired on " + day(notAfter));
        }
        if (now.isBefore(notBefore)) {
            throw new IllegalArgumentException("certificate is not valid before " + day(notBefore));
        }
    }

    /** Whole days until the leaf expires; negative once it has. */
    public static long daysUntilExpiry(X509Certificate leaf, Instant now) {
        return Duration.between(now, leaf.getNotAfter().toInstant()).toDays();
    }

    /** True when the leaf expires within {@code window} from {@code now} (or already has). */
    public static boolean needsRenewal(X509Certificate leaf, Duration window, Instant now) {
        return !leaf.getNotAfter().toInstant().isAfter(now.plus(window));
    }

    /** {@link #needsRenewal(X509Certificate, Duration, Instant)} with the default 30 days, now. */
    public static boolean needsRenewal(X509Certificate leaf) {
        return needsRenewal(leaf, DEFAULT_RENEWAL_WINDOW, Instant.now());
    }

    /** The DNS names among the leaf's subjectAltNames, in certificate order. */
    public static List<String> dnsNames(X509Certificate leaf) {
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                if (Integer.valueOf(2).equals(san.get(0))) { // 2 = dNSName (RFC 5280 GeneralName)
                    names.add((String) san.get(1));
                }
            }
            return List.copyOf(names);
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
        }
    }

    /** RFC 6125: a wildcard is a whole leftmost label and stands for exactly one label. */
    static boolean nameMatches(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        if (!pattern.startsWith("*.")) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new IllegalArgumentException("unsupported private key type " + key.getAlgorithm());
        };
    }

    private static boolean isPrivateKey(Object block) {
        return block instanceof PEMKeyPair || block instanceof PrivateKeyInfo || block instanceof PEMEncryptedKeyPair
                || block instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Size-capped and regular files only: a key path pointing at /dev/zero must not exhaust memory. */
    private static String read(Path file) {
        return new String(OperatorFile.bytes(file), StandardCharsets.ISO_8859_1);
    }
}
