package io.matrixinstall.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.it.Agent;
import io.matrixinstall.it.MatrixClient;
import io.matrixinstall.it.Run;
import io.matrixinstall.it.TrustOnly;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `up --tls acme` against a real ACME CA (Pebble, with challtestsrv answering DNS with 127.0.0.1): the agent
 * gets the certificate with acme4j through the real nginx container's port 80, and a client that trusts only
 * Pebble's root reaches real Synapse on the HTTPS and federation ports. The public DNS the agent itself
 * consults cannot exist here, so the agent runs where /etc/hosts names this machine (TestDomains).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcmeUpIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-acme-it";
    static final int SYNAPSE = 19008;
    static final int HTTP = 19080;
    static final int HTTPS = 19443;
    static final int FEDERATION = 19448;
    static Agent agent;
    static Path tree;
    static PebbleCa pebble;
    static HttpClient client;
    static SSLContext pebbleTrust;

    @BeforeAll
    static void install() throws Exception {
        agent = Agent.install(PROJECT, "matrix-install-acme-it").ports(SYNAPSE, 19009, HTTP, HTTPS, FEDERATION)
                .resolvingTestDomains();
        tree = agent.tree();
        pebble = PebbleCa.forAgent(agent, HTTP);
        // The renewal schedule goes under the test's tree (the install flags); cron, because no systemd runs here.
        agent.settings("--tls", "acme", "--set", "renewal.schedule=cron");
        Run up = agent.runWithFlags("up", "--pull", "never", "--timeout", "240");
        assertEquals(0, up.exitCode(), up + "\n" + pebble.logs());
        assertTrue(up.stdout().contains("obtain a certificate for " + DOMAIN), up.toString());
        pebbleTrust = TrustOnly.pem(pebble.issuingRootPem());
        client = HttpClient.newBuilder().sslContext(pebbleTrust).build();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
        if (pebble != null) {
            pebble.close();
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Serial of the certificate nginx presents now, read from a fresh TLS handshake. */
    static BigInteger servedSerial() throws Exception {
        return TrustOnly.served(pebbleTrust, HTTPS, DOMAIN).getSerialNumber();
    }

    @Test
    @Order(1)
    void synapseAnswersThroughTheIssuedCertificateOnBothPorts() throws Exception {
        HttpResponse<String> versions = get("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions");
        assertEquals(200, versions.statusCode(), versions.body());
        assertTrue(new ObjectMapper().readTree(versions.body()).path("versions").isArray());
        HttpResponse<String> keys = get("https://" + DOMAIN + ":" + FEDERATION + "/_matrix/key/v2/server");
        assertEquals(200, keys.statusCode(), keys.body());
        assertEquals(DOMAIN, new ObjectMapper().readTree(keys.body()).path("server_name").asText());
        HttpResponse<String> wellKnown = get("https://" + DOMAIN + ":" + HTTPS + "/.well-known/matrix/server");
        assertEquals("application/json", wellKnown.headers().firstValue("content-type").orElse(""));
        assertEquals("*", wellKnown.headers().firstValue("access-control-allow-origin").orElse(""));
        // Non-default ports: the well-known documents name the ports that really listen.
        assertEquals(DOMAIN + ":" + FEDERATION, new ObjectMapper().readTree(wellKnown.body()).path("m.server").asText());
        HttpResponse<String> clientDoc = get("https://" + DOMAIN + ":" + HTTPS + "/.well-known/matrix/client");
        assertEquals("application/json", clientDoc.headers().firstValue("content-type").orElse(""));
        assertEquals("*", clientDoc.headers().firstValue("access-control-allow-origin").orElse(""));
        assertEquals("https://" + DOMAIN + ":" + HTTPS, new ObjectMapper().readTree(clientDoc.body()).path("m.homeserver")
                .path("base_url").asText());
        assertEquals(404, get("https://" + DOMAIN + ":" + HTTPS + "/_synapse/admin/v1/server_version").statusCode());
        HttpResponse<String> loopback = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + SYNAPSE + "/_synapse/admin/v1/server_version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, loopback.statusCode(), "the admin API answers on loopback: " + loopback.body());
    }

    @Test
    @Order(2)
    void aValidCertificateIsNeverRequestedAgain() throws Exception {
        BigInteger before = servedSerial();
        Run again = agent.runWithFlags("up", "--pull", "never").assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        assertEquals("no changes", agent.runWithFlags("renew").assertOk().stdout().strip());
        assertEquals(before, servedSerial());
    }

    @Test
    @Order(3)
    void renewForceReplacesTheCertificateWithoutDroppingARequestInFlight() throws Exception {
        BigInteger before = servedSerial();
        String token = MatrixClient.register(SYNAPSE, agent.secret("registration_shared_secret"), "alice",
                "correct horse battery staple");
        // Drain what a new account's first syncs report, so the long poll below really waits.
        String since = new ObjectMapper().readTree(authorized("/_matrix/client/v3/sync", token).body())
                .path("next_batch").asText();
        for (int i = 0; i < 3; i++) {
            since = new ObjectMapper().readTree(authorized("/_matrix/client/v3/sync?timeout=0&since=" + since, token)
                    .body()).path("next_batch").asText();
        }
        // A long poll that is still open while nginx reloads: it must complete normally. HTTP/1.1, because
        // JDK 17's HTTP/2 client fails every open stream on the GOAWAY a gracefully stopping nginx worker
        // sends, even streams the GOAWAY lets finish (a client bug, fixed in later JDKs).
        HttpClient http1 = HttpClient.newBuilder().sslContext(pebbleTrust).version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> inFlight = http1.sendAsync(HttpRequest.newBuilder(URI.create(
                "https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/v3/sync?timeout=30000&since=" + since))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<Long> finishedAt = inFlight.thenApply(response -> System.nanoTime());
        // In flight through the proxy: nginx (no upstream keepalive) holds a connection to Synapse only while it
        // forwards a request, and the long poll is the only one now, so the reload below meets it mid-request.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!nginxForwardsToSynapse()) {
            assertTrue(System.nanoTime() < deadline && !inFlight.isDone(), "nginx never forwarded the long poll to Synapse");
            Thread.sleep(20);
        }
        Run renew = agent.runWithFlags("renew", "--force").assertOk();
        assertTrue(renew.stdout().contains("obtain a certificate for " + DOMAIN), renew.toString());
        long renewed = System.nanoTime();
        assertEquals(200, inFlight.get().statusCode(), inFlight.get().body());
        assertTrue(finishedAt.get() > renewed, "the long poll was still open when nginx reloaded");
        assertNotEquals(before, servedSerial(), "nginx serves the renewed certificate");
    }

    @Test
    @Order(4)
    void renewIsScheduledTwiceADayAndItsRunsShowInStatus() throws Exception {
        Path cron = tree.resolve("cron.d/matrix-install-renew");
        String entry = Files.readAllLines(cron).stream().filter(line -> line.contains(" renew ")).findFirst().orElseThrow();
        String jar = tree.resolve("agent/matrix-install.jar").toString();
        // renew runs with the configuration `up` recorded in the state directory (one copy for every command).
        java.util.regex.Matcher scheduled = java.util.regex.Pattern.compile("\\d{1,2} 3,15 \\* \\* \\* root \\S*java -jar "
                + java.util.regex.Pattern.quote(jar) + " renew --state-dir (\\S+) >/dev/null 2>&1").matcher(entry);
        assertTrue(scheduled.matches(), entry);
        Path config = Path.of(scheduled.group(1), "matrix-install.yaml");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(config)));
        // Run exactly what cron will run (minus its schedule and output redirection).
        String command = entry.substring(entry.indexOf(" root ") + " root ".length(), entry.indexOf(" >/dev/null"));
        Run.of(List.of("sh", "-c", command), agent.environment(), 300).assertOk();
        Run status = Run.of(List.of("java", "-jar", jar, "status", "--state-dir", scheduled.group(1)), agent.environment(), 600);
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.stdout().contains("certificate: " + DOMAIN + ", issued by "), status.stdout());
        assertTrue(status.stdout().lines().anyMatch(line -> line.endsWith("ok: not due")), status.stdout());
        assertTrue(status.stdout().contains(PROJECT + ": db healthy, synapse healthy, element "), status.stdout());
    }

    @Test
    @Order(5)
    void noCertificateIsRequestedForADomainThatDoesNotResolveHere() {
        // Not in the agent's /etc/hosts, and its resolv.conf names no server: getent fails at once, no DNS is asked.
        List<String> args = agent.withFlags("renew");
        args.set(args.indexOf(DOMAIN), "nowhere.example.org");
        Run renew = agent.run(args);
        assertEquals(1, renew.exitCode(), renew.toString());
        assertEquals("matrix-install: nowhere.example.org does not resolve; create its A/AAAA record for this host (or pass"
                + " --skip-dns-check); no certificate was requested", renew.stderr().strip());
        assertTrue(Files.notExists(tree.resolve("data/nginx/letsencrypt/live/nowhere.example.org/fullchain.pem")));
    }

    /** An established connection from an nginx process to Synapse's published port (what ss sees on this host). */
    private static boolean nginxForwardsToSynapse() {
        return Run.of(List.of("ss", "-Htnp", "state", "established", "( dport = :" + SYNAPSE + " )")).assertOk().stdout()
                .lines().anyMatch(line -> line.contains("\"nginx\""));
    }

    private static HttpResponse<String> authorized(String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
