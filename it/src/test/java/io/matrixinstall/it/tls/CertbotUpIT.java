package io.matrixinstall.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.it.Agent;
import io.matrixinstall.it.Run;
import io.matrixinstall.it.TestEngine;
import io.matrixinstall.it.TrustOnly;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `up --tls nginx-certbot` against a real ACME CA (Pebble): certbot inside the proxy container (the
 * jonasal/nginx-certbot stand-in, which keeps the real image's contract, it/images/proxy/CONTRACT.md) obtains
 * the certificate through the proxy's own HTTP port, and the agent waits until nginx serves it. A client that
 * trusts only Pebble's root reaches Synapse; a second `up` changes nothing; a changed server block reaches
 * nginx through SIGHUP (the image ignores a plain `nginx -s reload` for that) without recreating the container.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertbotUpIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-c-certbot";
    static final String PROXY_PROJECT = PROJECT + "-proxy";
    static final int SYNAPSE = 18308;
    static final int HTTP = 18380;
    static final int HTTPS = 18343;
    static final int FEDERATION = 18348;
    static final int NEW_FEDERATION = 18349;
    static Agent agent;
    static Path tree;
    static PebbleCa pebble;
    static SSLContext pebbleTrust;
    static HttpClient client;

    /** {@code command} with the test's settings, the proxy's federation port {@code federation}, then {@code extra}. */
    static Run run(String command, int federation, String... extra) {
        List<String> args = agent.withFlags(command, "--set", "ports.federation=" + federation);
        args.addAll(List.of(extra));
        return agent.run(args);
    }

    static Run docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return Run.of(argv, TestEngine.environment(), 120);
    }

    static String proxyContainer() {
        return docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + PROXY_PROJECT,
                "--filter", "label=com.docker.compose.service=nginx").assertOk().stdout().strip();
    }

    @BeforeAll
    static void install() throws Exception {
        agent = Agent.install(PROJECT, "matrix-install-certbot-it").ports(SYNAPSE, 18309, HTTP, HTTPS, FEDERATION)
                .resolvingTestDomains();
        tree = agent.tree();
        // Pebble validates HTTP-01 on the proxy's HTTP port, where the agent's server for certbot's webroot listens.
        pebble = PebbleCa.forAgent(agent, HTTP);
        agent.settings("--tls", "nginx-certbot", "--set", "refresh.schedule=off");
        Run up = run("up", FEDERATION, "--pull", "never", "--timeout", "240");
        String proxyLogs = docker("logs", proxyContainer()).toString();
        assertEquals(0, up.exitCode(), up + "\n" + proxyLogs + "\n" + pebble.logs());
        pebbleTrust = TrustOnly.pem(pebble.issuingRootPem());
        client = HttpClient.newBuilder().sslContext(pebbleTrust).build();
    }

    @AfterAll
    static void tearDown() {
        if (agent != null) {
            agent.tearDown();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The certificate nginx presents on a port now, from a fresh handshake that trusts only Pebble. */
    static X509Certificate served(int port) throws Exception {
        return TrustOnly.served(pebbleTrust, port, DOMAIN);
    }

    /** How many times the proxy's nginx master logged "reconfiguring" (once a reload signal, notice level). */
    static long reconfigurations(String container) {
        return docker("logs", container).assertOk().toString().lines().filter(line -> line.contains("reconfiguring")).count();
    }

    @Test
    @Order(1)
    void certbotInsideTheProxyObtainedTheCertificateThatNginxServes() throws Exception {
        HttpResponse<String> versions = get("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions");
        assertEquals(200, versions.statusCode(), versions.body());
        assertTrue(new ObjectMapper().readTree(versions.body()).path("versions").isArray(), versions.body());
        HttpResponse<String> keys = get("https://" + DOMAIN + ":" + FEDERATION + "/_matrix/key/v2/server");
        assertEquals(200, keys.statusCode(), keys.body());
        // certbot's own bookkeeping in the proxy's volume: the certificate is certbot's, not the agent's.
        String container = proxyContainer();
        docker("exec", container, "test", "-s", "/etc/letsencrypt/renewal/" + DOMAIN + ".conf").assertOk();
        String renewal = docker("exec", container, "cat", "/etc/letsencrypt/renewal/" + DOMAIN + ".conf").assertOk().stdout();
        assertTrue(renewal.contains("server = " + pebble.directory()), renewal);
        assertFalse(Files.exists(tree.resolve("data/nginx/letsencrypt")), "the agent writes no certificate in this mode");
        // The challenge server stays enabled; the domain's block was enabled once its certificate existed.
        String enabled = docker("exec", container, "ls", "/etc/nginx/conf.d").assertOk().stdout();
        assertEquals(List.of("_http-redirect.conf", DOMAIN + ".conf", "redirector.conf"), enabled.lines().sorted().toList());
        assertTrue(served(HTTPS).getSubjectX500Principal().getName().contains(DOMAIN)
                || served(HTTPS).getSubjectAlternativeNames().toString().contains(DOMAIN));
        // Port 80's job on the proxy's HTTP port: everything but challenges goes to HTTPS on the HTTPS port.
        HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + DOMAIN + ":" + HTTP + "/_matrix/client/versions")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(301, redirect.statusCode());
        assertEquals("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions",
                redirect.headers().firstValue("location").orElse(""));
        Run status = agent.run(List.of("status", "--domain", DOMAIN, "--email", "admin@example.org", "--tls", "nginx-certbot",
                "--base-dir", tree + "/data/matrix", "--set", "proxy_data_dir=" + tree + "/data/nginx",
                "--set", "compose.matrix_project=" + PROJECT, "--set", "compose.proxy_project=" + PROXY_PROJECT));
        // Not its exit code: Docker may still report Synapse's health check as "starting" (issue 7, item 10).
        assertTrue(status.stdout().contains(PROXY_PROJECT + ": nginx running"), status.stdout());
        assertTrue(status.stdout().contains("certificate: " + DOMAIN + " obtained by certbot; its server block is enabled"),
                status.stdout());
    }

    @Test
    @Order(2)
    void aSecondUpChangesNothing() throws Exception {
        String before = docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", proxyContainer()).assertOk().stdout();
        BigInteger serial = served(HTTPS).getSerialNumber();
        Run again = run("up", FEDERATION, "--pull", "never").assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        assertEquals(before, docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", proxyContainer()).assertOk().stdout());
        assertEquals(serial, served(HTTPS).getSerialNumber(), "certbot kept the certificate");
    }

    @Test
    @Order(3)
    void aChangedServerBlockReachesNginxThroughSighupWithoutANewContainer() throws Exception {
        String before = docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", proxyContainer()).assertOk().stdout();
        BigInteger serial = served(HTTPS).getSerialNumber();
        Run up = run("up", NEW_FEDERATION, "--pull", "never", "--timeout", "240").assertOk();
        assertTrue(up.stdout().contains("send SIGHUP (re-scan, certbot, reload) to nginx (server blocks or certificates differ"),
                up.toString());
        assertEquals(before, docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", proxyContainer()).assertOk().stdout());
        HttpResponse<String> keys = get("https://" + DOMAIN + ":" + NEW_FEDERATION + "/_matrix/key/v2/server");
        assertEquals(200, keys.statusCode(), keys.body());
        assertEquals(serial, served(NEW_FEDERATION).getSerialNumber(), "the same certificate, kept by certbot --keep");
    }

    /**
     * Puts the proxy where a failed certbot pass leaves it: no certificate, the domain's block renamed *.nokey
     * (what the image's auto-enable does) and nginx reloaded without it, the renewal loop asleep.
     */
    static void loseTheCertificate() {
        String container = proxyContainer();
        docker("exec", container, "rm", "-rf", "/etc/letsencrypt/live/" + DOMAIN, "/etc/letsencrypt/archive/" + DOMAIN,
                "/etc/letsencrypt/renewal/" + DOMAIN + ".conf").assertOk();
        docker("exec", container, "mv", "/etc/nginx/conf.d/" + DOMAIN + ".conf", "/etc/nginx/conf.d/" + DOMAIN + ".conf.nokey")
                .assertOk();
        docker("exec", container, "nginx", "-s", "reload").assertOk();
    }

    @Test
    @Order(4)
    void upAsksTheIdleImageAgainWhenItsBlockIsDisabled() throws Exception {
        BigInteger serial = served(HTTPS).getSerialNumber();
        loseTheCertificate();
        Run dryRun = run("up", NEW_FEDERATION, "--dry-run").assertOk();
        String line = "send SIGHUP (re-scan, certbot, reload) to nginx (" + DOMAIN
                + ": not obtained by certbot yet; its server block is disabled)";
        assertEquals(List.of(line, "1 change(s) would be made on localhost"), dryRun.stdout().lines().toList(),
                dryRun.toString());
        Run up = run("up", NEW_FEDERATION, "--pull", "never", "--timeout", "240").assertOk();
        assertTrue(up.stdout().lines().anyMatch(line::equals), up.toString());
        assertFalse(serial.equals(served(HTTPS).getSerialNumber()), "certbot obtained a new certificate");
        HttpResponse<String> versions = get("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions");
        assertEquals(200, versions.statusCode(), versions.body());
    }

    @Test
    @Order(5)
    void upFailsAsSoonAsCertbotsPassEndsWithoutACertificate() {
        loseTheCertificate();
        pebble.close(); // the CA is gone: certbot cannot obtain anything
        long start = System.nanoTime();
        Run up = run("up", NEW_FEDERATION, "--pull", "never", "--timeout", "240");
        long seconds = java.time.Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertEquals(1, up.exitCode(), up.toString());
        assertTrue(up.stderr().startsWith("matrix-install: the nginx-certbot proxy does not serve " + DOMAIN + " on ports "
                + HTTPS + " and " + NEW_FEDERATION + ": the image's pass (re-scan, certbot, reload) ended without it (not obtained by"
                + " certbot yet; its server block is disabled); last 50 log lines of nginx:"), up.stderr());
        assertTrue(up.stderr().contains("Certbot failed for '" + DOMAIN + "'"), up.stderr());
        assertTrue(seconds < 120, "failed when the pass ended, not at --timeout: " + seconds + " s");
    }

    /** The stand-in is no more lenient than the real image (CONTRACT.md): what the product's SIGHUP is for. */
    @Test
    @Order(6)
    void theImageSeesANewUserConfigOnlyAfterSighupAndDisablesOneWithoutItsCertificate() throws Exception {
        Path userConf = tree.resolve("data/nginx/user_conf.d");
        Files.writeString(userConf.resolve("extra.conf"), "server {\n    listen 127.0.0.1:18390;\n    return 200 'extra';\n}\n");
        Files.writeString(userConf.resolve("other.example.org.conf"), """
                server {
                    listen 127.0.0.1:18391 ssl;
                    server_name other.example.org;
                    ssl_certificate /etc/letsencrypt/live/other.example.org/fullchain.pem;
                    ssl_certificate_key /etc/letsencrypt/live/other.example.org/privkey.pem;
                }
                """);
        String container = proxyContainer();
        long reloads = reconfigurations(container);
        docker("exec", container, "nginx", "-s", "reload").assertOk();
        // nginx has re-read its configuration for this reload (its error log, the container's): a reload that re-scanned
        // user_conf.d would have linked extra.conf before that.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reconfigurations(container) <= reloads) {
            assertTrue(System.nanoTime() < deadline, "nginx did not log the reload");
            Thread.sleep(50);
        }
        String linked = docker("exec", container, "ls", "/etc/nginx/conf.d").assertOk().stdout();
        assertFalse(linked.contains("extra.conf") || linked.contains("other.example.org"), linked);
        docker("kill", "--signal", "HUP", container).assertOk();
        HttpResponse<String> extra = null;
        for (int i = 0; i < 60 && extra == null; i++) {
            Thread.sleep(1000);
            try {
                extra = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18390/")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                // the pass runs certbot before its reload
            }
        }
        assertTrue(extra != null && extra.body().equals("extra"), "the SIGHUP pass linked and loaded extra.conf");
        linked = docker("exec", container, "ls", "/etc/nginx/conf.d").assertOk().stdout();
        assertTrue(linked.lines().anyMatch("other.example.org.conf.nokey"::equals), linked);
    }
}
