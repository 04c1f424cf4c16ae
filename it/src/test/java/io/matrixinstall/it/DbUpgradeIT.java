package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `db upgrade --to 17` on a real server: PostgreSQL 15 (the seed's) with users, a room and messages, moved to the
 * PostgreSQL 17 stand-in (Debian trixie's 17 behind the official image's entrypoint contract). Afterwards the same
 * users log in through the public proxy and the room's messages are served by 17, health is green, the 15 volume
 * is still there, and no later `up` goes back to 15. Then --undo goes back to the kept 15 data; an upgrade SIGKILLed
 * during its restore leaves the 15 data serving after `up`, and run again it completes (replacing the unverified 17
 * volume); --prune-old removes the 15 volume.
 */
class DbUpgradeIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-pgup-1";
    static final int SYNAPSE = 21708;
    static final int HTTPS = 21743;
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();
    static Agent agent;
    static Path tree;
    static Path state;

    @BeforeAll
    static void install() throws Exception {
        // Its own state directory and, but for `status` (no lock), its own host lock; resolves the test domain.
        agent = Agent.install(PROJECT, "matrix-install-dbupgrade-it").ports(SYNAPSE, 21709, 21780, HTTPS, 21748)
                .ownState().ownLockFor(command -> !command.equals("status")).resolvingTestDomains();
        tree = agent.tree();
        state = agent.state();
        agent.runWithFlags("up", "--tls", "self-signed", "--pull", "never", "--timeout", "240").assertOk();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown(); // secrets and dumps: nothing of it stays behind
        for (String volume : List.of("_postgres-data", "_postgres-data-17")) {
            TestEngine.docker("volume", "rm", "-f", PROJECT + volume);
        }
    }

    @Test
    void upgradeTo17KeepsUsersRoomsAndMessagesAndNeverGoesBack() throws Exception {
        register("alice");
        register("bob");
        String alice = login("alice");
        String bob = login("bob");
        String room = JSON.readTree(post("/_matrix/client/v3/createRoom", alice, Map.of("preset", "public_chat", "name", "Upgrade"))
                .body()).path("room_id").asText();
        assertEquals(200, post("/_matrix/client/v3/join/" + enc(room), bob, Map.of()).statusCode());
        List<String> texts = List.of("before the upgrade 1", "before the upgrade 2", "from bob");
        send(room, alice, texts.get(0));
        send(room, alice, texts.get(1));
        send(room, bob, texts.get(2));
        assertTrue(serverVersion().startsWith("15."), serverVersion());

        // A dry run lists the move and changes nothing.
        Run dry = agent.run("db", "upgrade", "--to", "17", "--dry-run").assertOk();
        for (String planned : List.of("stop synapse", "back up the database", "start PostgreSQL 17", "restore ", "write "
                + tree.resolve("data/matrix/postgres-version"))) {
            assertTrue(dry.stdout().contains(planned), planned + " in\n" + dry);
        }
        assertTrue(serverVersion().startsWith("15."));
        assertFalse(volumeExists(PROJECT + "_postgres-data-17"));
        assertTrue(agent.run("status").exitCode() == 0);

        Run upgrade = agent.run("db", "upgrade", "--to", "17", "--timeout", "240").assertOk();
        assertTrue(upgrade.stdout().contains("every table's row count matches"), upgrade.toString());
        assertTrue(upgrade.stdout().contains("matrix-install db upgrade --undo"), upgrade.toString());
        assertTrue(serverVersion().startsWith("17."), serverVersion());
        assertEquals("UTF8|C|C", psql("SELECT pg_encoding_to_char(encoding) || '|' || datcollate || '|' || datctype"
                + " FROM pg_database WHERE datname = 'synapse'"));
        assertTrue(volumeExists(PROJECT + "_postgres-data"), "the PostgreSQL 15 volume is kept");
        assertTrue(Files.readString(state.resolve("matrix-install.yaml")).contains("postgres.version: \"17\""));
        assertTrue(Files.readString(tree.resolve("data/matrix/postgres-version")).contains("version: 17"));
        try (var backups = Files.list(tree.resolve("data/matrix/backups"))) {
            Path dump = backups.filter(p -> p.getFileName().toString().startsWith("postgres-15-before-17-")).findFirst().orElseThrow();
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)));
        }
        assertServes(room, texts);
        assertEquals(0, agent.run("status").exitCode(), "health green after the upgrade");

        // No later run goes back to 15: `up` changes nothing, and asking for 15 is refused before any change.
        Run again = agent.run("up", "--pull", "never").assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        assertEquals("no changes", agent.run("db", "upgrade", "--to", "17").assertOk().stdout().strip());
        Run back = agent.run("up", "--pull", "never", "--set", "postgres.version=15");
        assertEquals(2, back.exitCode(), back.toString());
        assertTrue(back.stderr().contains("postgres.version: this server's database is PostgreSQL 17"), back.toString());
        assertTrue(serverVersion().startsWith("17."));

        // Written on 17, then undone: back on the 15 data as it was before the upgrade.
        send(room, alice, "written on 17");
        Run undo = agent.run("db", "upgrade", "--undo", "--timeout", "240").assertOk();
        assertTrue(undo.stdout().contains("back on PostgreSQL 15"), undo.toString());
        assertTrue(serverVersion().startsWith("15."), serverVersion());
        assertServes(room, texts);
        assertEquals("no changes", agent.run("up", "--pull", "never").assertOk().stdout().lines().findFirst().orElse(""));

        // Killed while it restores into 17: the server's data is still the 15 volume, which `up` serves again.
        assertTrue(agent.killedAt("restore ", List.of("db", "upgrade", "--to", "17", "--timeout", "240")), "the upgrade reached its restore");
        agent.run("up", "--pull", "never", "--timeout", "240").assertOk();
        assertTrue(serverVersion().startsWith("15."), serverVersion());
        assertServes(room, texts);

        // Run again, it starts over from the 15 volume and replaces the unverified 17 one; --prune-old then frees 15's.
        Run redo = agent.run("db", "upgrade", "--to", "17", "--timeout", "240").assertOk();
        assertTrue(redo.stdout().contains("remove volume " + PROJECT + "_postgres-data-17"), redo.toString());
        assertTrue(serverVersion().startsWith("17."));
        assertServes(room, texts);
        Run prune = agent.run("db", "upgrade", "--prune-old").assertOk();
        assertTrue(prune.stdout().contains("remove volume " + PROJECT + "_postgres-data "), prune.toString());
        assertFalse(volumeExists(PROJECT + "_postgres-data"));
        assertEquals("no changes", agent.run("db", "upgrade", "--prune-old").assertOk().stdout().strip());
        Run noUndo = agent.run("db", "upgrade", "--undo");
        assertEquals(2, noUndo.exitCode(), noUndo.toString());
        assertEquals(0, agent.run("status").exitCode());
        assertTrue(serverVersion().startsWith("17."));
    }

    /** Both users log in through the public proxy, and the room's history holds every message. */
    private static void assertServes(String room, List<String> texts) throws Exception {
        String alice = login("alice");
        login("bob");
        JsonNode messages = JSON.readTree(get("/_matrix/client/v3/rooms/" + enc(room) + "/messages?dir=b&limit=100", alice).body());
        List<String> bodies = new ArrayList<>();
        messages.path("chunk").forEach(e -> bodies.add(e.path("content").path("body").asText()));
        assertTrue(bodies.containsAll(texts), bodies.toString());
    }

    private static String serverVersion() {
        return psql("SHOW server_version");
    }

    private static String psql(String sql) {
        return TestEngine.docker("exec", TestEngine.container(PROJECT, "db"), "psql", "-U", "synapse", "-d", "synapse", "-X", "-A",
                "-t", "-c", sql).assertOk().stdout().strip();
    }

    private static boolean volumeExists(String volume) {
        return TestEngine.docker("volume", "inspect", volume).exitCode() == 0;
    }

    private static void register(String user) throws Exception {
        String secret = Files.readString(tree.resolve("data/matrix/secrets/registration_shared_secret")).strip();
        MatrixClient.register(SYNAPSE, secret, user, PASSWORD);
    }

    /** A password login through nginx (the certificate the agent wrote is the only one trusted); the access token. */
    private static String login(String user) throws Exception {
        HttpResponse<String> response = post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", PASSWORD));
        assertEquals(200, response.statusCode(), user + ": " + response.body());
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static void send(String room, String token, String text) throws Exception {
        HttpResponse<String> sent = request("PUT", "/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/"
                + System.nanoTime(), token, Map.of("msgtype", "m.text", "body", text));
        assertEquals(200, sent.statusCode(), sent.body());
    }

    private static HttpResponse<String> post(String path, String token, Map<String, Object> body) throws Exception {
        return request("POST", path, token, body);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return request("GET", path, token, null);
    }

    private static HttpResponse<String> request(String method, String path, String token, Map<String, Object> body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpClient client = HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem")))).build();
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
