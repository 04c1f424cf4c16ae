package io.matrixinstall.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An SSLContext that trusts the JDK's usual roots plus the given ones, for one HTTP client only: a test CA
 * such as Pebble's (or a private ACME server) must not become trusted by the whole JVM.
 */
final class ExtraRootTrust {

    private ExtraRootTrust() {
    }

    static SSLContext sslContext(String extraRootsPem) {
        List<X509Certificate> extraRoots = parse(extraRootsPem);
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int alias = 0;
            for (X509Certificate root : jdkRoots()) {
                anchors.setCertificateEntry("jdk-" + alias++, root);
            }
            for (X509Certificate root : extraRoots) {
                anchors.setCertificateEntry("extra-" + alias++, root);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS trust for the ACME server: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> parse(String pem) {
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the extra trusted root is not a PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("the extra trusted root holds no PEM certificate");
        }
        List<X509Certificate> roots = new ArrayList<>();
        certificates.forEach(c -> roots.add((X509Certificate) c));
        return roots;
    }

    private static List<X509Certificate> jdkRoots() throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return List.of(x509.getAcceptedIssuers());
            }
        }
        return List.of();
    }
}
