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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public front door on a real engine: `up --tls self-signed` starts the nginx stack, and a Java HTTPS
 * client that trusts only the certificate the agent wrote reaches real Synapse through it. Every public
 * port is a non-default one, so each place that names a port (public_baseurl, Element, both well-known
 * documents, the redirect) must carry it. matrix.example.org resolves to 127.0.0.1 through the test JVM's
 * hosts file (no public DNS here).
 */
class ProxyIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-b-proxy-it";
    static final int SYNAPSE = 18208;
    static final int HTTP = 18280;
    static final int HTTPS = 18243;
    static final int FEDERATION = 18248;
    static Agent agent;
    static Path tree;
    static HttpClient client;

    static Run up(String... extra) {
        List<String> args = agent.withFlags("up", "--tls", "self-signed", "--pull", "never", "--set", "refresh.schedule=off",
                "--timeout", "240");
        args.addAll(List.of(extra));
        return agent.run(args);
    }

    @BeforeAll
    static void install() throws Exception {
        agent = Agent.install(PROJECT, "matrix-install-proxy-it").ports(SYNAPSE, 18209, HTTP, HTTPS, FEDERATION);
        tree = agent.tree();
        up().assertOk();
        client = clientTrusting(tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem"));
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
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
        // m.server names the federation port that really listens, and it serves federation.
        String federation = new ObjectMapper().readTree(server.body()).path("m.server").asText();
        assertEquals(DOMAIN + ":" + FEDERATION, federation);
        assertEquals(200, get("https://" + federation + "/_matrix/key/v2/server").statusCode());

        HttpResponse<String> clientDoc = get("https://" + DOMAIN + ":" + HTTPS + "/.well-known/matrix/client");
        assertEquals("*", clientDoc.headers().firstValue("access-control-allow-origin").orElse(""));
        JsonNode homeserver = new ObjectMapper().readTree(clientDoc.body()).path("m.homeserver");
        assertEquals("https://" + DOMAIN + ":" + HTTPS, homeserver.path("base_url").asText());
    }

    /** What a Matrix client does: discover the homeserver from the well-known document, then log in there. */
    @Test
    void aClientFollowingTheWellKnownDocumentReachesSynapseAndLogsIn() throws Exception {
        String password = "correct horse battery staple";
        MatrixClient.register(SYNAPSE, agent.secret("registration_shared_secret"), "alice", password);

        ObjectMapper json = new ObjectMapper();
        String baseUrl = json.readTree(get("https://" + DOMAIN + ":" + HTTPS + "/.well-known/matrix/client").body())
                .path("m.homeserver").path("base_url").asText();
        HttpResponse<String> versions = get(baseUrl + "/_matrix/client/versions");
        assertEquals(200, versions.statusCode(), versions.body());
        HttpResponse<String> login = post(baseUrl + "/_matrix/client/v3/login", null, json.writeValueAsString(Map.of(
                "type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", "alice"),
                "password", password)));
        assertEquals(200, login.statusCode(), login.body());
        String token = json.readTree(login.body()).path("access_token").asText();
        HttpResponse<String> whoami = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("@alice:" + DOMAIN, json.readTree(whoami.body()).path("user_id").asText(), whoami.body());

        // Element and Synapse's own idea of its public address name the same port.
        JsonNode element = json.readTree(get(baseUrl + "/config.json").body());
        assertEquals(baseUrl, element.path("default_server_config").path("m.homeserver").path("base_url").asText());
        assertTrue(Files.readString(tree.resolve("data/matrix/files/homeserver.yaml"))
                .contains("public_baseurl: \"" + baseUrl + "/\""));
    }

    static HttpResponse<String> post(String url, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * An upload above the proxy's limit gets Matrix's error, which clients parse, not nginx's HTML page. curl
     * is the client: Java 17's HttpClient never delivers a response that arrives before the body is sent
     * over HTTP/2.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"--http1.1, 1.1", "--http2, 2"})
    void anOversizedUploadGetsMatrixsJsonError(String flag, String version) throws Exception {
        Path tooLarge = tree.resolve("too-large.bin");
        try (var file = new java.io.RandomAccessFile(tooLarge.toFile(), "rw")) {
            file.setLength(50L * 1024 * 1024 + 1);
        }
        Run curl = Run.of(List.of("curl", "-sS", flag, "--cacert",
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem").toString(),
                "--resolve", DOMAIN + ":" + HTTPS + ":127.0.0.1", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + tooLarge, "-w", "\n%{http_code} %{content_type} %{http_version}",
                "https://" + DOMAIN + ":" + HTTPS + "/_matrix/media/v3/upload?filename=big.bin")).assertOk();
        List<String> lines = curl.stdout().lines().toList();
        assertEquals("413 application/json " + version, lines.get(lines.size() - 1), curl.toString());
        assertEquals("M_TOO_LARGE", new ObjectMapper().readTree(lines.get(0)).path("errcode").asText(), curl.toString());
    }

    /** This host has IPv6, so the agent gave nginx an IPv6 twin of every listener; a request over ::1 works. */
    @Test
    void everyListenerAlsoAnswersOverIpv6() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/if_inet6")), "host without IPv6");
        String sockets = Run.of(List.of("ss", "-H", "-l", "-t", "-n", "-6")).assertOk().stdout();
        for (int port : new int[] {HTTP, HTTPS, FEDERATION}) {
            assertTrue(sockets.contains("[::]:" + port + " "), sockets);
        }
        Run curl = Run.of(List.of("curl", "-sS", "--cacert",
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem").toString(),
                "--resolve", DOMAIN + ":" + HTTPS + ":[::1]", "https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions"));
        curl.assertOk();
        assertTrue(curl.stdout().contains("\"versions\""), curl.toString());
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
    void plainHttpRedirectsToTheListeningHttpsPort() throws Exception {
        HttpResponse<String> response = get("http://" + DOMAIN + ":" + HTTP + "/_matrix/client/versions?x=1");
        assertEquals(301, response.statusCode());
        String location = response.headers().firstValue("location").orElse("");
        assertEquals("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/versions?x=1", location);
        HttpResponse<String> landed = get(location);
        assertEquals(200, landed.statusCode(), landed.body());
    }

    @Test
    void elementIsServedForEverythingElse() throws Exception {
        HttpResponse<String> config = get("https://" + DOMAIN + ":" + HTTPS + "/config.json");
        assertEquals(200, config.statusCode());
        assertEquals(DOMAIN, new ObjectMapper().readTree(config.body()).path("default_server_config")
                .path("m.homeserver").path("server_name").asText());
    }

    /**
     * nginx names itself without a version on every port and page, and Element gets the headers Element Web's
     * README asks its web server for. The Element image sets none of them (an older stand-in did, but never on
     * /config.json and never X-XSS-Protection), so these come from the product's proxy configuration.
     */
    @Test
    void responsesHideTheNginxVersionAndElementCarriesItsSecurityHeaders() throws Exception {
        String https = "https://" + DOMAIN + ":" + HTTPS;
        for (String url : List.of(https + "/_matrix/client/versions", https + "/", https + "/config.json",
                https + "/_synapse/admin/v1/server_version", https + "/.well-known/matrix/server",
                "https://" + DOMAIN + ":" + FEDERATION + "/_matrix/key/v2/server", "http://" + DOMAIN + ":" + HTTP + "/")) {
            HttpResponse<String> response = get(url);
            assertEquals(List.of("nginx"), response.headers().allValues("server"), url);
            assertTrue(!response.body().contains("nginx/"), url + ": " + response.body());
        }
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:18209/config.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, direct.statusCode());
        assertTrue(direct.headers().firstValue("x-xss-protection").isEmpty(), direct.headers().toString());
        for (String path : List.of("/", "/config.json", "/no-such-page")) {
            HttpResponse<String> element = get(https + path);
            Map<String, List<String>> headers = element.headers().map();
            assertEquals(List.of("SAMEORIGIN"), element.headers().allValues("x-frame-options"), path + " " + headers);
            // An image's own policy may stand beside this one (browsers enforce both); this one is always there.
            assertTrue(element.headers().allValues("content-security-policy").contains("frame-ancestors 'self'"), path + " " + headers);
            assertEquals(List.of("nosniff"), element.headers().allValues("x-content-type-options"), path + " " + headers);
            assertEquals(List.of("1; mode=block"), element.headers().allValues("x-xss-protection"), path + " " + headers);
            assertEquals(List.of("max-age=63072000"), element.headers().allValues("strict-transport-security"), path + " " + headers);
        }
    }

    @Test
    void aSecondUpChangesNothing() {
        Run run = up().assertOk();
        assertEquals("no changes", run.stdout().lines().findFirst().orElse(""), run.toString());
    }
}
