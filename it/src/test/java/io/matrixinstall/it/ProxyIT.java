package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public front door on a real engine: `up --tls self-signed` starts the nginx stack, and a Java HTTPS
 * client that trusts only the certificate the agent wrote reaches real Synapse through it.
 * matrix.example.org resolves to 127.0.0.1 through the test JVM's hosts file (no public DNS here).
 */
class ProxyIT {
    static final String DOMAIN = "matrix.example.org";
    static final String PROJECT = "mi-proxy-it";
    static final int SYNAPSE = 18208;
    static final int HTTP = 18280;
    static final int HTTPS = 18243;
    static final int FEDERATION = 18248;
    static Path tree;
    static HttpClient client;

    static Run up(String... extra) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", Run.JAR.toString(), "up", "--tls", "self-signed",
                "--pull", "never", "--domain", DOMAIN, "--email", "admin@example.org", "--set", "refresh.schedule=off",
                "--base-dir", tree + "/data/matrix",
                "--set", "proxy_dir=" + tree + "/root/nginx", "--set", "proxy_data_dir=" + tree + "/data/nginx",
                "--set", "compose.matrix_project=" + PROJECT, "--set", "compose.proxy_project=" + PROJECT + "-proxy",
                "--set", "ports.synapse=" + SYNAPSE, "--set", "ports.element=18209", "--set", "ports.http=" + HTTP,
                "--set", "ports.https=" + HTTPS, "--set", "ports.federation=" + FEDERATION, "--timeout", "240"));
        argv.addAll(List.of(extra));
        return Run.of(argv, TestEngine.environment(), 600);
    }

    @BeforeAll
    static void install() throws Exception {
        tree = Files.createTempDirectory("matrix-install-proxy-it");
        up().assertOk();
        client = clientTrusting(tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem"));
    }

    @AfterAll
    static void tearDown() {
        TestEngine.removeStacks(tree, PROJECT);
    }

    /** Trusts exactly one certificate: the one the agent installed for nginx. */
    static HttpClient clientTrusting(Path pem) throws Exception {
        return HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(pem)))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientApiThroughHttpsAndKeysThroughFederationPort() throws Exception {
        HttpResponse<String> versions = get("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions");
        assertEquals(200, versions.statusCode(), versions.body());
        assertTrue(new ObjectMapper().readTree(versions.body()).path("versions").isArray());
        assertEquals("max-age=63072000", versions.headers().firstValue("strict-transport-security").orElse(""));

        HttpResponse<String> keys = get("https://" + DOMAIN + ":" + FEDERATION + "/_matrix/key/v2/server");
        assertEquals(200, keys.statusCode(), keys.body());
        assertEquals(DOMAIN, new ObjectMapper().readTree(keys.body()).path("server_name").asText());
    }

    @Test
    void wellKnownDocumentsAreJsonForEveryone() throws Exception {
        HttpResponse<String> server = get("https://" + DOMAIN + ":" + HTTPS + "/.well-known/matrix/server");
        assertEquals(200, server.statusCode());
        assertEquals("application/json", server.headers().firstValue("content-type").orElse(""));
        assertEquals("*", server.headers().firstValue("access-control-allow-origin").orElse(""));
        assertEquals(DOMAIN + ":443", new ObjectMapper().readTree(server.body()).path("m.server").asText());

        HttpResponse<String> clientDoc = get("https://" + DOMAIN + ":" + HTTPS + "/.well-known/matrix/client");
        assertEquals("*", clientDoc.headers().firstValue("access-control-allow-origin").orElse(""));
        JsonNode homeserver = new ObjectMapper().readTree(clientDoc.body()).path("m.homeserver");
        assertEquals("https://" + DOMAIN, homeserver.path("base_url").asText());
    }

    @Test
    void adminApiIsRefusedPubliclyButAnswersOnLoopback() throws Exception {
        assertEquals(404, get("https://" + DOMAIN + ":" + HTTPS + "/_synapse/admin/v1/server_version").statusCode());
        HttpResponse<String> local = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + SYNAPSE + "/_synapse/admin/v1/server_version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, local.statusCode(), local.body());
    }

    @Test
    void plainHttpRedirectsToHttps() throws Exception {
        HttpResponse<String> response = get("http://" + DOMAIN + ":" + HTTP + "/_matrix/client/versions");
        assertEquals(301, response.statusCode());
        assertTrue(response.headers().firstValue("location").orElse("").startsWith("https://" + DOMAIN),
                response.headers().map().toString());
    }

    @Test
    void elementIsServedForEverythingElse() throws Exception {
        HttpResponse<String> config = get("https://" + DOMAIN + ":" + HTTPS + "/config.json");
        assertEquals(200, config.statusCode());
        assertEquals(DOMAIN, new ObjectMapper().readTree(config.body()).path("default_server_config")
                .path("m.homeserver").path("server_name").asText());
    }

    @Test
    void aSecondUpChangesNothing() {
        Run run = up().assertOk();
        assertEquals("no changes", run.stdout().lines().findFirst().orElse(""), run.toString());
    }
}
