package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `update` and `refresh` with real pulls: the engine's registry mirror (scripts/prepare-test-host.sh: Debian's
 * docker-registry on loopback) serves the stand-ins under their Docker Hub paths; the test pushes a newer and
 * two broken Synapse releases there under the same tag. The tag is this test's own copy of the stand-in
 * ({@link #SYNAPSE}), so tests running beside it keep pulling the stand-in they expect.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpdateIT {
    static final String PROJECT = "mi-g-update";
    static final int SYNAPSE_PORT = 18810;
    static final String STAND_IN = "matrixdotorg/synapse:latest";
    /** The releases go out under a repository of their own on the mirror: never the tag other tests pull. */
    static final String SYNAPSE = "matrixdotorg/synapse-update-it:latest";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Agent agent;
    static Path tree;
    static String registry;
    static String originalSynapse;
    static String newerSynapse;
    static String token;
    static String room;

    @BeforeAll
    static void install() throws Exception {
        registry = Files.readAllLines(TestEngine.ENV_FILE).stream().filter(l -> l.startsWith("MATRIX_IT_REGISTRY="))
                .map(l -> l.substring("MATRIX_IT_REGISTRY=".length()).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no MATRIX_IT_REGISTRY in " + TestEngine.ENV_FILE
                        + ": run scripts/prepare-test-host.sh (it starts the registry mirror)"));
        String mirrors = TestEngine.docker("info", "--format", "{{range .RegistryConfig.Mirrors}}{{.}} {{end}}").assertOk().stdout();
        assertTrue(mirrors.contains("http://" + registry + "/"), "the engine has no registry mirror http://" + registry
                + " (got: " + mirrors.strip() + "): run scripts/prepare-test-host.sh when the engine is idle");
        originalSynapse = imageId(STAND_IN);
        push(originalSynapse);
        agent = Agent.install(PROJECT, "mi-g-update").ports(SYNAPSE_PORT, 18811).timeout(900)
                .settings("--tls", "none", "--set", "images.synapse=" + SYNAPSE, "--set", "renewal.schedule=cron")
                .ownState(); // the history read back is this install's alone
        tree = agent.tree();
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        // --pull always: every image comes by name through the mirror, as on a user's host.
        agent.runWithFlags("up", "--pull", "always", "--timeout", "240").assertOk();
        assertEquals(200, health());
        token = MatrixClient.register(SYNAPSE_PORT, agent.secret("registration_shared_secret"), "alice",
                "correct horse battery staple");
        room = post("/_matrix/client/v3/createRoom", "{}").path("room_id").asText();
        send("sent before any update");
        // A one-time key: its row must be in the database but not in a backup.
        post("/_matrix/client/v3/keys/upload",
                "{\"one_time_keys\":{\"curve25519:AAAAAQ\":\"ZmFrZS1vbmUtdGltZS1rZXktZm9yLXRoZS10ZXN0\"}}");
        assertEquals("1", psql("select count(*) from e2e_one_time_keys_json"));
    }

    @AfterAll
    static void cleanUp() {
        if (agent != null) {
            agent.tearDown();
        }
        if (originalSynapse != null) {
            TestEngine.docker("rmi", SYNAPSE, registry + "/" + SYNAPSE);
        }
        String tags = TestEngine.docker("images", "--format", "{{.Repository}}:{{.Tag}}", "matrix-install/rollback/synapse").stdout();
        tags.lines().filter(t -> !t.isBlank()).forEach(t -> TestEngine.docker("rmi", t));
        for (String release : List.of("newer", "sleeps", "migrates", "newer2", "newer3")) {
            TestEngine.docker("rmi", "matrix-install-it/update-test:" + release);
        }
    }

    @Test
    @Order(1)
    void nothingNewChangesNothing() throws Exception {
        // `up` installed the daily refresh beside the agent; a second `up` finds it in place.
        String cron = Files.readString(tree.resolve("cron.d/matrix-install-refresh"));
        // It runs with the configuration `up` recorded (the tests' state dir, /etc/matrix-install on a server).
        assertTrue(cron.contains(" root ") && cron.contains(tree + "/agent/matrix-install.jar refresh --state-dir "
                + agent.state()), cron);
        Run again = agent.runWithFlags("up", "--pull", "never").assertOk();
        assertTrue(again.stdout().lines().anyMatch("no changes"::equals), again.toString());
        List<String> before = identities();
        assertEquals("no changes", agent.runWithFlags("update", "--dry-run").assertOk().stdout().strip());
        long start = System.nanoTime();
        Run run = agent.runWithFlags("update").assertOk();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(run.stdout().strip().endsWith("no changes"), run.toString());
        assertEquals(before, identities());
        assertTrue(history().get(history().size() - 1).contains("update ok: no changes"), history().toString());
        assertFalse(Files.exists(tree.resolve("agent/update-history.log")), "history.jsonl is the one history");
        System.out.printf("BENCHMARK update-nothing-new %.2f%n", seconds);
    }

    @Test
    @Order(2)
    void newerSynapseRecreatesOnlySynapse() throws Exception {
        newerSynapse = release("newer", null);
        Run dry = agent.runWithFlags("update", "--dry-run").assertOk();
        assertTrue(dry.stdout().contains("pull " + SYNAPSE + " and recreate synapse"), dry.toString());
        assertEquals(originalSynapse, runningImage("synapse"), "a dry run changes nothing");

        String db = TestEngine.identity(PROJECT, "db");
        String element = TestEngine.identity(PROJECT, "element");
        String synapse = TestEngine.identity(PROJECT, "synapse");
        Downtime downtime = Downtime.watch();
        Run run = agent.runWithFlags("update").assertOk();
        System.out.printf("BENCHMARK update-synapse-downtime %.2f%n", downtime.stop());
        assertEquals(db, TestEngine.identity(PROJECT, "db"));
        assertEquals(element, TestEngine.identity(PROJECT, "element"));
        assertNotEquals(synapse, TestEngine.identity(PROJECT, "synapse"));
        assertEquals(newerSynapse, runningImage("synapse"), run.toString());
        assertEquals(200, health());
        assertTrue(messages().contains("sent before any update"));
        // The previous image is kept under a tag no prune of dangling images removes.
        assertEquals(originalSynapse, imageId(TestEngine.docker("images", "--format", "{{.Repository}}:{{.Tag}}",
                "matrix-install/rollback/synapse").assertOk().stdout().strip().lines().findFirst().orElseThrow()));

        Path backups = tree.resolve("data/matrix/backups");
        List<Path> dumps;
        try (Stream<Path> files = Files.list(backups)) {
            dumps = files.toList();
        }
        assertEquals(1, dumps.size(), dumps.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backups)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dumps.get(0))));
        String db1 = TestEngine.container(PROJECT, "db");
        TestEngine.docker("cp", dumps.get(0).toString(), db1 + ":/tmp/check.dump").assertOk();
        String toc = TestEngine.docker("exec", db1, "pg_restore", "--list", "/tmp/check.dump").assertOk().stdout();
        assertTrue(toc.contains("TABLE public e2e_one_time_keys_json"), toc);
        assertTrue(toc.contains("TABLE DATA public events"), toc);
        assertFalse(toc.contains("TABLE DATA public e2e_one_time_keys_json"), toc);
        String data = TestEngine.docker("exec", db1, "pg_restore", "--data-only", "-f", "-", "/tmp/check.dump").assertOk().stdout();
        assertTrue(data.contains("sent before any update"), "the dump holds the messages");
        assertFalse(data.contains("AAAAAQ"), "the dump holds no one-time key");
        send("sent after the update");
    }

    @Test
    @Order(3)
    void brokenSynapseIsRolledBackByItself() throws Exception {
        release("sleeps", "[\"sleep\", \"100000\"]");
        long start = System.nanoTime();
        Run run = agent.runWithFlags("update", "--timeout", "30");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("FAILED, rolled back") && run.stdout().contains("database untouched"), run.toString());
        assertEquals(200, health());
        assertEquals(newerSynapse, runningImage("synapse"));
        assertTrue(history().get(history().size() - 1).contains("update FAILED, rolled back: synapse"), history().toString());
        assertTrue(messages().contains("sent after the update"));
        System.out.printf("BENCHMARK broken-release-to-healthy %.2f%n", seconds);
    }

    @Test
    @Order(4)
    void releaseThatMigratesTheSchemaIsRolledBackWithTheDump() throws Exception {
        // Starts, moves the schema's compat version past what the previous Synapse understands, never answers.
        release("migrates", "[\"python3\", \"-c\", \"import yaml, psycopg2, time; a = yaml.safe_load(open('/data/homeserver.yaml'))"
                + "['database']['args']; c = psycopg2.connect(user=a['user'], password=a['password'], dbname=a['dbname'],"
                + " host=a['host'], port=a['port']); c.cursor().execute('UPDATE schema_compat_version SET compat_version = 9999');"
                + " c.commit(); time.sleep(100000)\"]");
        Run run = agent.runWithFlags("update", "--timeout", "30");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("database restored from"), run.toString());
        assertEquals(200, health());
        assertEquals(newerSynapse, runningImage("synapse"));
        assertTrue(messages().contains("sent after the update"));
    }

    @Test
    @Order(5)
    void refreshRunAsCronRunsItBehavesAsUpdate() throws Exception {
        push(newerSynapse); // the registry serves the release that runs: nothing new
        String entry = Files.readAllLines(tree.resolve("cron.d/matrix-install-refresh")).stream()
                .filter(l -> l.contains(" refresh ")).findFirst().orElseThrow();
        String[] fields = entry.trim().split("\\s+", 7);
        assertEquals("root", fields[5], entry);
        List<String> before = identities();
        Map<String, String> env = new java.util.HashMap<>(TestEngine.environment());
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Run run = Run.of(List.of("/bin/sh", "-c", fields[6]), env, 600);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(before, identities());
        assertTrue(history().get(history().size() - 1).contains("refresh ok: no changes"), history().toString());

        release("newer2", null);
        run = Run.of(List.of("/bin/sh", "-c", fields[6]), env, 600);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(history().get(history().size() - 1).contains("refresh ok: synapse"), history().toString());
        assertEquals(200, health());
        assertEquals(before.get(0), identities().get(0), "db kept");
    }

    @Test
    @Order(6)
    void anUpDuringAnUpdateNamesItAndAKilledUpdateIsCompletedByTheNext() throws Exception {
        String newest = release("newer3", null);
        ProcessBuilder builder = agent.process(agent.withFlags("update")).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process update = builder.start();
        update.getOutputStream().close();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(update.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine(); // the update's first change line: it holds the lock and is at work
            assertTrue(first != null, "update printed a change");
            Run up = agent.runWithFlags("up", "--pull", "never", "--wait", "0");
            assertEquals(1, up.exitCode(), up.toString());
            assertTrue(up.stderr().contains("another matrix-install run holds the host lock")
                    && up.stderr().contains(", update, since "), up.toString());
            // Killed with everything it started, as when its session dies, in the middle of its work.
            update.descendants().forEach(ProcessHandle::destroyForcibly);
            update.destroyForcibly();
        }
        update.waitFor();
        Run again = agent.runWithFlags("update").assertOk();
        assertEquals(200, health(), again.toString());
        assertEquals(newest, runningImage("synapse"), "one consistent version: the release the tag names");
        assertTrue(messages().contains("sent after the update"));
        newerSynapse = newest;
    }

    // ---- helpers ----

    /** Builds a release of the stand-in (a label, optionally another entrypoint) and pushes it under the same tag. */
    static String release(String name, String entrypoint) throws Exception {
        Path context = Files.createTempDirectory(tree, "release");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + originalSynapse + "\nLABEL org.matrix-install.it.release=" + name
                + "\n" + (entrypoint == null ? "" : "ENTRYPOINT " + entrypoint + "\n"));
        String tag = "matrix-install-it/update-test:" + name;
        Map<String, String> env = new java.util.HashMap<>(TestEngine.environment());
        env.put("DOCKER_BUILDKIT", "0");
        Run.of(List.of("/usr/bin/docker", "build", "-q", "--pull=false", "-t", tag, context.toString()), env, 300).assertOk();
        String id = imageId(tag);
        push(id);
        return id;
    }

    static void push(String image) {
        String target = registry + "/" + SYNAPSE;
        TestEngine.docker("tag", image, target).assertOk();
        TestEngine.docker("push", target).assertOk();
    }

    static String imageId(String image) {
        return TestEngine.docker("image", "inspect", "-f", "{{.Id}}", image).assertOk().stdout().strip();
    }

    static String runningImage(String service) {
        return TestEngine.docker("inspect", "-f", "{{.Image}}", TestEngine.container(PROJECT, service)).assertOk().stdout().strip();
    }

    static List<String> identities() {
        return List.of(TestEngine.identity(PROJECT, "db"), TestEngine.identity(PROJECT, "synapse"),
                TestEngine.identity(PROJECT, "element"));
    }

    /** The update and refresh lines of this install's history, as an admin reads them. */
    static List<String> history() {
        return agent.run("history", "--command", "update", "--command", "refresh").assertOk().stdout().lines().toList();
    }

    static String psql(String sql) {
        return TestEngine.docker("exec", TestEngine.container(PROJECT, "db"), "psql", "-U", "synapse", "-d", "synapse", "-tAc", sql)
                .assertOk().stdout().strip();
    }

    static int health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SYNAPSE_PORT + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void send(String text) throws Exception {
        request("PUT", "/_matrix/client/v3/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/send/m.room.message/"
                + System.nanoTime(), JSON.writeValueAsString(Map.of("msgtype", "m.text", "body", text)), token);
    }

    static String messages() throws Exception {
        return request("GET", "/_matrix/client/v3/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8)
                + "/messages?dir=b&limit=100", null, token).toString();
    }

    static JsonNode post(String path, String body) throws Exception {
        return request("POST", path, body, token);
    }

    static JsonNode request(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SYNAPSE_PORT + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), method + " " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /** Polls /health every 100 ms and adds up the time it did not answer 200. */
    static final class Downtime {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long downNanos;

        private Downtime() {
            thread = new Thread(() -> {
                long last = System.nanoTime();
                while (running) {
                    boolean up = health() == 200;
                    long now = System.nanoTime();
                    if (!up) {
                        downNanos += now - last;
                    }
                    last = now;
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static Downtime watch() {
            Downtime downtime = new Downtime();
            downtime.thread.start();
            return downtime;
        }

        double stop() throws InterruptedException {
            running = false;
            thread.join();
            return downNanos / 1e9;
        }
    }
}
