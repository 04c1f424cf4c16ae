package io.matrixinstall.ops.checks;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostHttp;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * `doctor`'s view of the public listeners, as a client or a federation tester has it: HTTPS to the ports nginx
 * serves, naming the domain (SNI and Host), accepting whatever certificate is served so the checks can report on
 * it (trust is judged separately, by {@link #trusted}). The connection is made to 127.0.0.1 on the host through
 * {@link HostHttp} (an SSH forward for a remote host), so a remote run checks the target, not the operator's
 * machine; whether the domain leads to that host is the DNS check's question.
 */
public class PublicEndpoint {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration READ = Duration.ofSeconds(10);

    private final Host host;

    public PublicEndpoint(Host host) {
        this.host = host;
    }

    /** An HTTPS answer with the chain the server presented. */
    public record Response(int status, Map<String, List<String>> headers, String body, List<X509Certificate> chain) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(", ", e.getValue())).findFirst().orElse("");
        }
    }

    public Response get(String domain, int port, String path) {
        try {
            HostHttp.Response answer = new HostHttp(host, "127.0.0.1", port, CONNECT, READ).get("https", domain, path);
            return new Response(answer.status(), answer.headers(), answer.body(), answer.chain());
        } catch (IOException e) {
            throw new IllegalStateException("https://" + domain + ":" + port + path + " does not answer on " + host.name()
                    + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    /** Whether the chain leads to a root the JVM's default trust store holds (what most clients trust). */
    public boolean trusted(List<X509Certificate> chain) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> roots = new ArrayList<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    roots.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            return chainsTo(chain, roots);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether the chain leads to one of {@code roots} (e.g. the private CA a federation trusts). */
    public static boolean chainsTo(List<X509Certificate> chain, List<X509Certificate> roots) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            roots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain),
                    parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
