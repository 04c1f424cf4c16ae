package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.matrixinstall.it.tls.PebbleCa;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two installs of the product federate: server A ({@code @x:a.test}, answering at matrix.a.test, delegated by a
 * {@code _matrix-fed._tcp} SRV record registered from the text `up` prints) and server B ({@code @y:b.test}, the server
 * name served by the same host as matrix.b.test: nginx serves its well-known documents). Each is installed over SSH
 * on its own bare target (scripts/target-host.sh start fa|fb), with certificates from Pebble (ACME, HTTP-01 to each
 * target through the harness resolver, scripts/harness-dns.sh), and trusts Pebble's root for outbound federation
 * (federation.ca_certificate). The test talks to each server only through its public ports.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {
    static final Path REPO = Path.of(System.getProperty("matrixinstall.repo", ".."));
    static final Path DNS = REPO.resolve("scripts/harness-dns.sh");
    /** A's client port: nothing answers https://a.test/ (443), so remote servers go on to the SRV record. */
    static final int A_HTTPS = 8443;
    static final Map<String, String> IMAGES = Map.of("postgres", "postgres:15-alpine", "synapse", "matrixdotorg/synapse:latest",
            "element", "vectorim/element-web:latest", "nginx", "nginx:stable-alpine");
    static final String PASSWORD = "federation pass phrase 1";

    static Path tree;
    static PebbleCa pebble;
    static TargetHost a;
    static TargetHost b;
    static MatrixClient clientA;
    static MatrixClient clientB;
    static String tokenX;
    static String tokenY;
    static HttpClient http;

    static String image(String key) {
        return "mi-fed/" + key + ":it";
    }

    /** The agent against {@code target}, as an operator with the harness's key; this machine's engine for --push-images. */
    static Run agent(TargetHost target, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("env", "-u", "SSH_AUTH_SOCK", "-u", "MATRIX_INSTALL_STATE_DIR",
                "HOME=" + tree.resolve("home"), "java", "-jar", Agent.JAR.toString()));
        argv.addAll(args);
        argv.addAll(List.of("--host", "root@" + target.address(), "--identity", target.identity().toString(),
                "--known-hosts", target.knownHosts().toString()));
        return Run.of(argv, RemoteUpIT.engine(), 1200);
    }

    static Run up(TargetHost target, String project, String domain, String serverName, String delegation, String... extra)
            throws IOException {
        Path extraConfig = Files.writeString(tree.resolve(project + "-synapse.yaml"), """
                # A private federation: no matrix.org key server, and peers on private addresses.
                trusted_key_servers: []
                ip_range_whitelist: ["10.77.0.0/16"]
                """);
        List<String> args = new ArrayList<>(List.of("up", "--tls", "acme", "--domain", domain, "--server-name", serverName,
                "--email", "admin@" + serverName, "--set", "delegation=" + delegation,
                "--set", "tls.acme.directory=" + pebble.directory(),
                "--set", "tls.acme.ca_certificate=" + tree.resolve("pebble-https-root.pem"),
                "--set", "federation.ca_certificate=" + tree.resolve("pebble-issuing-root.pem"),
                "--set", "synapse.extra_config=" + extraConfig,
                "--set", "compose.matrix_project=" + project, "--set", "compose.proxy_project=" + project + "-proxy",
                "--push-images", "--docker-source", "distro", "--timeout", "300"));
        IMAGES.keySet().forEach(key -> args.addAll(List.of("--set", "images." + key + "=" + image(key))));
        args.addAll(List.of(extra));
        return agent(target, args);
    }

    static void dns(String... args) {
        List<String> argv = new ArrayList<>(List.of(DNS.toString()));
        argv.addAll(List.of(args));
        Run.of(argv, Map.of(), 60).assertOk();
    }

    @BeforeAll
    static void twoServers() throws Exception {
        tree = Files.createTempDirectory("matrix-install-federation-it");
        Files.createDirectories(tree.resolve("home"));
        dns("start");
        for (String[] record : new String[][] {{"matrix.a.test", "10.77.4.2"}, {"a.test", "10.77.4.2"},
                {"matrix.b.test", "10.77.5.2"}, {"b.test", "10.77.5.2"}}) {
            dns("add-a", record[0], record[1]);
        }
        IMAGES.forEach((key, image) -> TestEngine.docker("tag", image, image(key)).assertOk());
        // HTTP-01 on port 80 of the address the harness resolver gives each name: each target's own nginx.
        pebble = new PebbleCa(Files.createDirectories(tree.resolve("pebble")), 80,
                Run.of(List.of(DNS.toString(), "address")).assertOk().stdout().strip());
        Files.writeString(tree.resolve("pebble-https-root.pem"), pebble.tlsRootPem());
        Files.writeString(tree.resolve("pebble-issuing-root.pem"), pebble.issuingRootPem());
        a = TargetHost.start("fa");
        b = TargetHost.start("fb");
        assertEquals("10.77.4.2", a.address());
        assertEquals("10.77.5.2", b.address());

        long started = System.nanoTime();
        CompletableFuture<Run> upA = CompletableFuture.supplyAsync(() -> unchecked(() -> up(a, "mi-fed-a", "matrix.a.test",
                "a.test", "srv", "--set", "ports.https=" + A_HTTPS)));
        CompletableFuture<Run> upB = CompletableFuture.supplyAsync(() -> unchecked(() -> up(b, "mi-fed-b", "matrix.b.test",
                "b.test", "here")));
        Run resultA = upA.get();
        Run resultB = upB.get();
        assertEquals(0, resultA.exitCode(), resultA + "\n" + pebble.logs());
        assertEquals(0, resultB.exitCode(), resultB + "\n" + pebble.logs());
        System.out.printf("FederationIT: both installs (Docker from Debian, images pushed, ACME) took %d s%n",
                (System.nanoTime() - started) / 1_000_000_000L);
        assertTrue(resultA.stdout().contains("obtain a certificate for matrix.a.test, a.test"), resultA.toString());
        assertTrue(resultB.stdout().contains("obtain a certificate for matrix.b.test, b.test"), resultB.toString());

        // A's delegation: the SRV record exactly as `up` printed it, into the resolver every target uses.
        Matcher srv = Pattern.compile("(_matrix-fed\\._tcp\\.\\S+)\\. SRV (\\d+) (\\d+) (\\d+) (\\S+)\\.")
                .matcher(resultA.stdout());
        assertTrue(srv.find(), "up prints the SRV record to publish: " + resultA);
        assertEquals("_matrix-fed._tcp.a.test", srv.group(1));
        dns("add-srv", srv.group(1), srv.group(5), srv.group(4), srv.group(2), srv.group(3));

        Path passwordFile = Files.writeString(tree.resolve("password"), PASSWORD + "\n");
        agent(a, List.of("user", "add", "x", "--password-file", passwordFile.toString())).assertOk();
        agent(b, List.of("user", "add", "y", "--password-file", passwordFile.toString())).assertOk();
        http = HttpClient.newBuilder().sslContext(TrustOnly.pem(pebble.issuingRootPem()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        clientA = new MatrixClient(http, "https://matrix.a.test:" + A_HTTPS);
        clientB = new MatrixClient(http, "https://matrix.b.test");
        tokenX = clientA.token("x", PASSWORD);
        tokenY = clientB.token("y", PASSWORD);
    }

    @AfterAll
    static void tearDown() {
        TargetHost.stop("fa");
        TargetHost.stop("fb");
        if (pebble != null) {
            pebble.close();
        }
        Run.of(List.of(DNS.toString(), "stop"), Map.of(), 60);
        IMAGES.keySet().forEach(key -> TestEngine.docker("rmi", image(key)));
        if (tree != null) {
            Run.of(List.of("rm", "-rf", tree.toString()));
        }
    }

    interface Call<T> {
        T call() throws Exception;
    }

    static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code condition} holds; fails naming {@code what} after two minutes. */
    static void await(String what, Call<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new IllegalStateException(e);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + (last == null ? "" : " (last: " + last + ")"));
    }

    static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void eachServerNameIsDiscoverableTheWayTheSpecSays() throws Exception {
        // B: the server name's own well-known documents, served by this host, under a certificate for b.test.
        HttpResponse<String> server = get("https://b.test/.well-known/matrix/server");
        assertEquals(200, server.statusCode(), server.body());
        assertEquals("matrix.b.test:8448", MatrixClient.JSON.readTree(server.body()).path("m.server").asText());
        assertEquals("application/json", server.headers().firstValue("content-type").orElse(""));
        assertEquals("*", server.headers().firstValue("access-control-allow-origin").orElse(""));
        HttpResponse<String> client = get("https://b.test/.well-known/matrix/client");
        assertEquals("https://matrix.b.test", MatrixClient.JSON.readTree(client.body()).path("m.homeserver")
                .path("base_url").asText());
        // A: nothing answers https://a.test/ (so discovery goes on to the SRV record), and its federation port
        // presents a certificate for a.test, the name the SRV step checks.
        assertThrows(ConnectException.class, () -> get("https://a.test/.well-known/matrix/server"));
        HttpResponse<String> key = get("https://a.test:8448/_matrix/key/v2/server");
        assertEquals(200, key.statusCode(), key.body());
        assertEquals("a.test", MatrixClient.JSON.readTree(key.body()).path("server_name").asText());
        HttpResponse<String> keyB = get("https://matrix.b.test:8448/_matrix/key/v2/server");
        assertEquals("b.test", MatrixClient.JSON.readTree(keyB.body()).path("server_name").asText());
    }

    static String room;

    @Test
    @Order(2)
    void aUserOfBJoinsARoomOfAAndMessagesFlowBothWaysInOrder() throws Exception {
        room = clientA.createRoom(tokenX);
        // Room version 12 ids carry no server name: the join below names A as the server to join through.
        clientA.send(tokenX, room, "a-0 before the join");
        clientA.post(tokenX, "/_matrix/client/v3/rooms/" + MatrixClient.encode(room) + "/invite",
                "{\"user_id\": \"@y:b.test\"}");
        await("B's user sees the invite", () -> clientB.get(tokenY, "/_matrix/client/v3/sync?timeout=0")
                .path("rooms").path("invite").has(room));

        long joinAt = System.nanoTime();
        JsonNode joined = clientB.post(tokenY, "/_matrix/client/v3/join/" + MatrixClient.encode(room)
                + "?server_name=a.test", "{}");
        assertEquals(room, joined.path("room_id").asText());
        await("A's first message on B", () -> clientB.messages(tokenY, room).contains("a-0 before the join"));
        long joinToFirst = (System.nanoTime() - joinAt) / 1_000_000;
        System.out.printf("BENCHMARK federation join-to-first-message: %d ms (B's join request to A's message read on B)%n",
                joinToFirst);

        List<String> sent = new ArrayList<>(List.of("a-0 before the join"));
        for (int i = 1; i <= 3; i++) {
            String fromA = "a-" + i;
            clientA.send(tokenX, room, fromA);
            sent.add(fromA);
            await(fromA + " on B", () -> clientB.messages(tokenY, room).contains(fromA));
            String fromB = "b-" + i;
            clientB.send(tokenY, room, fromB);
            sent.add(fromB);
            await(fromB + " on A", () -> clientA.messages(tokenX, room).contains(fromB));
        }
        assertEquals(sent, clientA.messages(tokenX, room));
        assertEquals(sent, clientB.messages(tokenY, room));
    }

    @Test
    @Order(3)
    void mediaUploadedOnAIsFetchedByBsUserThroughB() throws Exception {
        byte[] content = ("media of a.test " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String mxc = clientA.upload(tokenX, content);
        assertTrue(mxc.startsWith("mxc://a.test/"), mxc);
        assertArrayEquals(content, clientB.download(tokenY, mxc));
    }

    @Test
    @Order(4)
    void aRestartOfAsSynapseLosesNoRoom() throws Exception {
        a.root("docker ps -q --filter label=com.docker.compose.project=mi-fed-a --filter label=com.docker.compose.service=synapse"
                + " | xargs -r docker restart").assertOk();
        await("A's Synapse healthy again", () -> a.httpStatus(8008, "/health") == 200);
        clientB.send(tokenY, room, "b after the restart");
        await("B's message on A after the restart", () -> clientA.messages(tokenX, room).contains("b after the restart"));
        clientA.send(tokenX, room, "a after the restart");
        await("A's message on B after the restart", () -> clientB.messages(tokenY, room).contains("a after the restart"));
        List<String> onA = clientA.messages(tokenX, room);
        assertEquals(List.of("a-0 before the join", "a-1", "b-1", "a-2", "b-2", "a-3", "b-3", "b after the restart",
                "a after the restart"), onA);
        assertEquals(onA, clientB.messages(tokenY, room));
    }

    /** Packets B's firewall rule dropped on their way in from other machines (raw PREROUTING, port 8448). */
    static long dropped() {
        String counts = b.root("iptables -t raw -L PREROUTING -v -n -x | awk '/dpt:8448/ {print $1}'").assertOk().stdout().strip();
        return counts.isEmpty() ? 0 : Long.parseLong(counts.lines().findFirst().orElseThrow());
    }

    /** `doctor`'s federation line on {@code target} (the other checks are not this test's: Pebble is no public root). */
    static String federationCheck(TargetHost target) {
        Run doctor = agent(target, List.of("doctor"));
        return doctor.stdout().lines().filter(line -> line.matches("\\S+\\s+federation\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no federation check\n" + doctor));
    }

    @Test
    @Order(5)
    void doctorFindsEachServerTheWayTheOtherDoes() {
        String onA = federationCheck(a);
        assertTrue(onA.matches("ok\\s+federation\\s+a\\.test → no well-known \\(https://a\\.test/\\.well-known/matrix/server: .*\\);"
                + " SRV _matrix-fed\\._tcp\\.a\\.test \\[matrix\\.a\\.test:8448]: connected to 10\\.77\\.4\\.2:8448, certificate for"
                + " a\\.test, verified the signature of a\\.test with ed25519:.*"), onA);
        String onB = federationCheck(b);
        assertTrue(onB.matches("ok\\s+federation\\s+b\\.test → well-known m\\.server matrix\\.b\\.test:8448: connected to"
                + " 10\\.77\\.5\\.2:8448, certificate for matrix\\.b\\.test, verified the signature of b\\.test with ed25519:.*"), onB);
    }

    @Test
    @Order(6)
    void withBsFederationPortClosedDoctorOnBFailsAndAStopsReachingBUntilTheRepair() throws Exception {
        // A firewall on B dropping its federation port, before Docker's NAT (raw table), from outside and from B itself.
        String rule = " -d 10.77.5.2 -p tcp --dport 8448 -j DROP";
        String close = "iptables -t raw -I PREROUTING" + rule + " && iptables -t raw -I OUTPUT" + rule;
        String open = "iptables -t raw -D PREROUTING" + rule + " && iptables -t raw -D OUTPUT" + rule;
        b.root(close).assertOk();
        String sentWhileClosed = "a while B's federation port is closed";
        try {
            String onB = federationCheck(b);
            assertTrue(onB.matches("fail\\s+federation\\s+connect: well-known m\\.server matrix\\.b\\.test:8448: 10\\.77\\.5\\.2:8448 timed out .*"
                    + " → open that port to other servers .*"), onB);
            // A cannot reach B: A's Synapse tries (B's firewall counts the packets it drops from outside) and the
            // message it sends is not on B.
            long before = dropped();
            clientA.send(tokenX, room, sentWhileClosed);
            await("A's Synapse trying B's closed federation port", () -> dropped() > before);
            assertFalse(clientB.messages(tokenY, room).contains(sentWhileClosed), "B got A's message through a closed port");
        } finally {
            b.root(open).assertOk();
        }
        String repaired = federationCheck(b);
        assertTrue(repaired.matches("ok\\s+federation\\s+b\\.test → well-known .*"), repaired);
        // B speaking to A tells A's Synapse that B is up again (it resets its back-off), so A's queued message follows.
        clientB.send(tokenY, room, "b after the repair");
        await("A's message queued while B was closed, on B after the repair",
                () -> clientB.messages(tokenY, room).contains(sentWhileClosed));
        await("B's message on A after the repair", () -> clientA.messages(tokenX, room).contains("b after the repair"));
    }
}
