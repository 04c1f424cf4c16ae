package io.matrixinstall.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.up.Plans;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.tls.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tls.mode nginx-certbot: what the agent hands the image (see it/images/proxy/CONTRACT.md). */
class CertbotProxyFilesTest {
    @TempDir
    Path root;

    private String render(Map<String, String> extra) throws IOException {
        Map<String, String> values = new java.util.HashMap<>(Map.of("domain", "matrix.example.org",
                "email", "admin@example.org", "tls.mode", "nginx-certbot"));
        values.putAll(extra);
        InstallConfig config = ConfigLoader.load(Optional.empty(), values);
        Plans.files().run(new PlanContext(config, new RootedHost(new LocalHost(), root), ChangeGate.applying(line -> {})));
        return Files.readString(root.resolve("data/nginx/nginx-certbot.env"));
    }

    @Test
    void certbotAsksTheConfiguredDirectoryAndTrustsTheConfiguredRoot() throws Exception {
        Path ca = root.resolve("operator-ca.pem");
        String pem = SelfSignedCertificate.create(List.of("ca.example.org"), Duration.ofDays(2)).certificatePem();
        Files.writeString(ca, pem);
        String env = render(Map.of("tls.acme.directory", "https://127.0.0.1:14000/dir",
                "tls.acme.ca_certificate", ca.toString(), "ports.http", "8081", "ports.https", "8443"));
        assertTrue(env.lines().toList().containsAll(List.of("STAGING=0", "CERTBOT_PRODUCTION_URL=https://127.0.0.1:14000/dir",
                "REQUESTS_CA_BUNDLE=/etc/matrix-install/trust/acme-ca.pem")), env);
        assertEquals(pem, Files.readString(root.resolve("data/nginx/certbot-trust/acme-ca.pem")));
        String compose = Files.readString(root.resolve("root/nginx/compose.yml"));
        assertTrue(compose.contains("\"/data/nginx/certbot-trust:/etc/matrix-install/trust:ro\""), compose);
        assertTrue(compose.contains("\"/data/nginx/image-redirector.conf:/etc/nginx/conf.d/redirector.conf:ro\""), compose);
        String http = Files.readString(root.resolve("data/nginx/user_conf.d/_http-redirect.conf"));
        // The rendered tree has no /proc/net/if_inet6: a host without IPv6 gets no IPv6 listener (nginx would not start).
        assertTrue(http.contains("listen 8081 default_server;") && !http.contains("listen [::]"), http);
        assertTrue(http.contains("root /var/www/letsencrypt;"), http);
        assertTrue(http.contains("return 301 https://$host:8443$request_uri;"), http);
        assertFalse(http.contains("ssl_certificate"), "the image must never disable the challenge server");
        String block = Files.readString(root.resolve("data/nginx/user_conf.d/matrix.example.org.conf"));
        assertTrue(block.contains("ssl_certificate_key     /etc/letsencrypt/live/matrix.example.org/privkey.pem;"),
                "the image takes the certificate name from this line");
    }

    @Test
    void letsEncryptByDefaultAndNoTrustOverride() throws Exception {
        String env = render(Map.of());
        assertTrue(env.contains("CERTBOT_PRODUCTION_URL=https://acme-v02.api.letsencrypt.org/directory\n"), env);
        assertFalse(env.contains("REQUESTS_CA_BUNDLE"), env);
        assertFalse(Files.exists(root.resolve("data/nginx/certbot-trust/acme-ca.pem")));
        String http = Files.readString(root.resolve("data/nginx/user_conf.d/_http-redirect.conf"));
        assertTrue(http.contains("listen 80 default_server;") && http.contains("return 301 https://$host$request_uri;"), http);
        assertTrue(render(Map.of("tls.acme.staging", "true"))
                .contains("CERTBOT_PRODUCTION_URL=https://acme-staging-v02.api.letsencrypt.org/directory\n"));
    }
}
