package io.matrixinstall.ops.checks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * `doctor`'s view from outside, as a federation tester has it: the one network client of the agent, isolated
 * here. It resolves the domain with the JVM's resolver and connects to the public ports, accepting whatever
 * certificate is served so the checks can report on it (trust is judged separately, by {@link #trusted}).
 */
public class PublicEndpoint {
    private static final int CONNECT_MS = 5000;
    private static final int READ_MS = 10000;

    /** An HTTPS answer with the chain the server presented. */
    public record Response(int status, Map<String, List<String>> headers, String body, List<X509Certificate> chain) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(", ", e.getValue())).findFirst().orElse("");
        }
    }

    public Response get(String host, int port, String path) {
        HttpsURLConnection connection = null;
        try {
            connection = (HttpsURLConnection) URI.create("https://" + host + ":" + port + path).toURL().openConnection();
            connection.setSSLSocketFactory(acceptAll().getSocketFactory());
            connection.setHostnameVerifier((name, session) -> true); // covered names are checked by the TLS probe
            connection.setConnectTimeout(CONNECT_MS);
            connection.setReadTimeout(READ_MS);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            List<X509Certificate> chain = Arrays.stream(connection.getServerCertificates())
                    .map(c -> (X509Certificate) c).toList();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = in == null ? "" : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            return new Response(status, connection.getHeaderFields(), body, chain);
        } catch (IOException e) {
            throw new IllegalStateException("https://" + host + ":" + port + path + " does not answer: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Whether the chain leads to a root the JVM's default trust store holds (what most clients trust). */
    public boolean trusted(List<X509Certificate> chain) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(root, null));
                    }
                }
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain),
                    parameters);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static SSLContext acceptAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
