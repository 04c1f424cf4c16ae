package io.matrixinstall.tls;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A certificate as a CA issued it, in the shapes nginx and certbot's layout want.
 *
 * @param fullchainPem  the leaf followed by the intermediates (nginx's {@code ssl_certificate})
 * @param chainPem      the intermediates only (for OCSP stapling's {@code ssl_trusted_certificate})
 * @param certPem       the leaf only
 * @param privateKeyPem the leaf's private key, a fresh key for every issuance
 * @param leaf          the parsed leaf
 */
public record IssuedCertificate(String fullchainPem, String chainPem, String certPem, String privateKeyPem,
                                X509Certificate leaf) {

    public Instant notAfter() {
        return leaf.getNotAfter().toInstant();
    }

    public BigInteger serial() {
        return leaf.getSerialNumber();
    }

    /** Keeps the private key out of logs and exception messages. */
    @Override
    public String toString() {
        return "IssuedCertificate[" + leaf.getSubjectX500Principal().getName() + ", serial " + serial().toString(16)
                + ", until " + notAfter() + "]";
    }
}
