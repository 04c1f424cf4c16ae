package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `backup`, then `uninstall --purge-data --yes` and a fresh `up`, then `restore` on a real engine with a real Synapse
 * and PostgreSQL: the user logs in with the same password through the proxy, the room keeps its messages, the upload
 * is served, the server key id is the old one, and no one-time key row comes back. A backup of another server name
 * or with a corrupted part is refused before any change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {
    static final String DOMAIN = "matrix.example.org";
    static final String PROJECT = "mi-backup-br";
    static final int SYNAPSE = 21608;
    static final int HTTPS = 21643;
    static final int FEDERATION = 21648;
    static final String USER = "alice";
    static final String PASSWORD = "correct horse battery staple";
    static final byte[] UPLOAD = "bytes the media store must give back".getBytes();
    static Path tree;
    static Path state;
    static Path backup;
    static String room;
    static String mxc;
    static List<String> keyIds;

    static List<String> installFlags() {
        return List.of("--domain", DOMAIN, "--email", "admin@example.org", "--tls", "self-signed",
                "--base-dir", tree + "/data/matrix",
                "--set", "proxy_dir=" + tree + "/root/nginx", "--set", "proxy_data_dir=" + tree + "/data/nginx",
                "--set", "compose.matrix_project=" + PROJECT, "--set", "compose.proxy_project=" + PROJECT + "-proxy",
                "--set", "ports.synapse=" + SYNAPSE, "--set", "ports.element=21609", "--set", "ports.http=21680",
                "--set", "ports.https=" + HTTPS, "--set", "ports.federation=" + FEDERATION,
                "--set", "renewal.agent_dir=" + tree + "/agent", "--set", "renewal.cron_dir=" + tree + "/cron.d",
                "--set", "refresh.schedule=off");
    }

    static Run agent(String... args) {
        List<String> argv = new ArrayList<>(List.of("java", "-Djdk.net.hosts.file=" + System.getProperty("jdk.net.hosts.file"),
                "-jar", Run.JAR.toString()));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--run-dir", tree.resolve("run").toString()));
        Map<String, String> environment = new HashMap<>(TestEngine.environment());
        environment.put("MATRIX_INSTALL_STATE_DIR", state.toString());
        return Run.of(argv, environment, 600);
    }

    static Run up() {
        List<String> up = new ArrayList<>(List.of("up", "--pull", "never", "--timeout", "240"));
        up.addAll(installFlags());
        return agent(up.toArray(String[]::new)).assertOk();
    }

    /** Through the public proxy, trusting only the certificate the agent wrote (a new one after a fresh install). */
    static MatrixClient proxy(int port) throws Exception {
        Path pem = tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem");
        return new MatrixClient(HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(pem))).build(),
                "https://" + DOMAIN + ":" + port);
    }

    static String psql(String sql) {
        return TestEngine.docker("exec", TestEngine.container(PROJECT, "db"), "psql", "-U", "synapse", "-d", "synapse", "-tA",
                "-c", sql).assertOk().stdout().strip();
    }

    @BeforeAll
    static void install() throws Exception {
        tree = Files.createTempDirectory("mi-backup-br");
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        state = tree.resolve("state");
        up();
        MatrixClient.register(SYNAPSE, Files.readString(tree.resolve("data/matrix/secrets/registration_shared_secret")).strip(),
                USER, PASSWORD);
        MatrixClient client = proxy(HTTPS);
        String token = client.token(USER, PASSWORD);
        room = client.createRoom(token);
        for (String text : List.of("first", "second", "third")) {
            client.send(token, room, text);
        }
        mxc = client.upload(token, UPLOAD);
        // A one-time key: its row is in the live database and must never come back from a backup.
        client.post(token, "/_matrix/client/v3/keys/upload",
                "{\"one_time_keys\":{\"curve25519:AAAAAQ\":\"ZmFrZS1vbmUtdGltZS1rZXktZm9yLXRoZS10ZXN0\"}}");
        assertEquals("1", psql("select count(*) from e2e_one_time_keys_json"));
        keyIds = proxy(FEDERATION).serverKeyIds();
        assertEquals(1, keyIds.size(), keyIds.toString());
    }

    @AfterAll
    static void tearDown() {
        if (tree != null) {
            TestEngine.removeStacks(tree, PROJECT);
            Run.of(List.of("rm", "-rf", tree.toString()));
        }
    }

    @Test
    @Order(1)
    void backupIsOneRootOnlySetWithAManifestOfChecksums() throws Exception {
        Run run = agent("backup").assertOk();
        String last = run.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("backup written to " + tree + "/data/matrix/backups/backup-"), run.toString());
        assertTrue(run.stderr().contains("database dump: ") && run.stderr().contains("MB/s"), run.stderr());
        Path written = Path.of(last.substring("backup written to ".length(), last.indexOf(": ")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
        try (Stream<Path> files = Files.walk(written)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
        JsonNode manifest = MatrixClient.JSON.readTree(written.resolve("manifest.json").toFile());
        assertEquals(DOMAIN, manifest.path("server_name").asText());
        assertTrue(manifest.path("postgres_version").asText().startsWith("15"), manifest.toString());
        assertFalse(manifest.path("synapse_version").asText().isBlank(), manifest.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode part : manifest.path("parts")) {
            Path file = written.resolve(part.path("name").asText());
            names.add(part.path("name").asText());
            assertEquals(Files.size(file), part.path("bytes").asLong(), file.toString());
            assertEquals(sha256(file), part.path("sha256").asText(), file.toString());
        }
        assertTrue(names.containsAll(List.of("database.dump", "media.tar", "signing.key", "secrets/postgres_password",
                "secrets/registration_shared_secret", "secrets/macaroon_secret_key", "secrets/form_secret",
                "config/homeserver.yaml", "config/docker-compose.yml", "install/matrix-install.yaml")), names.toString());
        assertEquals(Files.readString(tree.resolve("data/matrix/files/" + DOMAIN + ".signing.key")),
                Files.readString(written.resolve("signing.key")));
        String media = Run.of(List.of("tar", "-tvf", written.resolve("media.tar").toString())).assertOk().stdout();
        assertTrue(media.contains("991/991") && media.contains("media_store/local_content/"), media);

        // The dump: the table's definition, none of its rows; the messages are there.
        String db = TestEngine.container(PROJECT, "db");
        String list = Run.of(List.of("sh", "-c", "docker exec -i \"$1\" pg_restore -l < \"$2\"", "sh", db,
                written.resolve("database.dump").toString()), TestEngine.environment(), 120).assertOk().stdout();
        assertTrue(list.contains("TABLE public e2e_one_time_keys_json"), list);
        assertFalse(list.contains("TABLE DATA public e2e_one_time_keys_json"), list);
        String events = Run.of(List.of("sh", "-c", "docker exec -i \"$1\" pg_restore --data-only -t event_json -f - < \"$2\"",
                "sh", db, written.resolve("database.dump").toString()), TestEngine.environment(), 120).assertOk().stdout();
        assertTrue(events.contains("second"), "the messages are in the dump");

        // Kept off the install, as an admin would copy it away before wiping the host.
        backup = tree.resolve("kept-backup");
        Run.of(List.of("cp", "-a", written.toString(), backup.toString())).assertOk();
        assertTrue(Files.readString(state.resolve("history.jsonl")).contains("\"command\":\"backup\""));
    }

    @Test
    @Order(2)
    void aBackupOfAnotherServerOrWithACorruptedPartIsRefusedBeforeAnyChange() throws Exception {
        Map<String, String> before = snapshot();
        String synapse = TestEngine.identity(PROJECT, "synapse");
        String db = TestEngine.identity(PROJECT, "db");

        Path other = copy("other-server");
        ObjectNode manifest = (ObjectNode) MatrixClient.JSON.readTree(other.resolve("manifest.json").toFile());
        manifest.put("server_name", "other.example.org");
        Files.write(other.resolve("manifest.json"), MatrixClient.JSON.writeValueAsBytes(manifest));
        Run refused = agent("restore", "--from", other.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains("is of server 'other.example.org' but this install serves '" + DOMAIN + "'"),
                refused.stderr());

        Path corrupted = copy("corrupted");
        byte[] media = Files.readAllBytes(corrupted.resolve("media.tar"));
        media[600] ^= 1;
        Files.write(corrupted.resolve("media.tar"), media);
        refused = agent("restore", "--from", corrupted.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains(corrupted.resolve("media.tar") + " is corrupted"), refused.stderr());

        // Security review, issue 14: a backup directory others could read or change, and a media archive that would
        // put a homeserver.yaml of another server into files/ (its manifest recomputed: checksums prove nothing alone).
        Path open = copy("mode-0755");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        refused = agent("restore", "--from", open.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains("--from: " + open + " is root:root 0755, not 0700"), refused.stderr());

        Path crafted = copy("crafted-media");
        Path unpacked = Files.createDirectories(tree.resolve("crafted-source"));
        Run.of(List.of("tar", "-C", unpacked.toString(), "-xpf", crafted.resolve("media.tar").toString())).assertOk();
        Files.writeString(unpacked.resolve("homeserver.yaml"), "server_name: \"evil.test\"\nenable_registration: true\n");
        Run.of(List.of("tar", "--numeric-owner", "-C", unpacked.toString(), "-cf", crafted.resolve("media.tar").toString(),
                "media_store", "homeserver.yaml")).assertOk();
        ObjectNode recomputed = (ObjectNode) MatrixClient.JSON.readTree(crafted.resolve("manifest.json").toFile());
        for (JsonNode part : recomputed.path("parts")) {
            if (part.path("name").asText().equals("media.tar")) {
                ((ObjectNode) part).put("sha256", sha256(crafted.resolve("media.tar")));
                ((ObjectNode) part).put("bytes", Files.size(crafted.resolve("media.tar")));
            }
        }
        Files.write(crafted.resolve("manifest.json"), MatrixClient.JSON.writeValueAsBytes(recomputed));
        refused = agent("restore", "--from", crafted.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains(crafted.resolve("media.tar") + " holds 'homeserver.yaml', outside media_store/"),
                refused.stderr());

        Run notABackup = agent("restore", "--from", tree.resolve("data").toString());
        assertEquals(2, notABackup.exitCode(), notABackup.toString());
        assertTrue(notABackup.stderr().contains("is not a backup (no manifest.json"), notABackup.stderr());

        Run dry = agent("restore", "--from", backup.toString(), "--dry-run").assertOk();
        assertTrue(dry.stdout().contains("load " + backup.resolve("database.dump") + " into a fresh UTF8/C database"), dry.toString());
        assertTrue(dry.stdout().contains("stop synapse and replace the database with the loaded one"), dry.toString());
        assertFalse(dry.stdout().contains(".signing.key"), "the same install already has the backup's key: " + dry);

        assertEquals(before, snapshot(), "no file of the install changed");
        assertEquals(synapse, TestEngine.identity(PROJECT, "synapse"));
        assertEquals(db, TestEngine.identity(PROJECT, "db"));
        assertEquals("1", psql("select count(*) from e2e_one_time_keys_json"));
        assertFalse(Files.readString(state.resolve("history.jsonl")).contains("restore"), "a refusal leaves no history line");
    }

    @Test
    @Order(3)
    void restoreAfterPurgeAndAFreshUpBringsEverythingBack() throws Exception {
        // The whole host wiped, backups under base_dir too: the restore must come from the copy kept elsewhere.
        agent("uninstall", "--purge-data", "--purge-backups", "--yes").assertOk();
        assertFalse(Files.exists(tree.resolve("data/matrix")));
        up();
        MatrixClient fresh = proxy(HTTPS);
        assertEquals(403, fresh.login(USER, PASSWORD).statusCode(), "a fresh install does not know alice");
        assertNotEquals(keyIds, proxy(FEDERATION).serverKeyIds(), "a fresh install has a key of its own");

        long start = System.nanoTime();
        Run restore = agent("restore", "--from", backup.toString(), "--timeout", "240", "--verbose").assertOk();
        System.out.printf("BENCHMARK restore-small %.2f%n%s%n", (System.nanoTime() - start) / 1e9, restore.stderr());
        assertTrue(restore.stdout().strip().lines().reduce((a, b) -> b).orElse("").startsWith("restored " + DOMAIN + " from "),
                restore.toString());
        assertTrue(restore.stderr().contains("backup verified: "), restore.stderr());

        MatrixClient client = proxy(HTTPS);
        String token = client.token(USER, PASSWORD);
        assertEquals(List.of("first", "second", "third"), client.messages(token, room));
        assertArrayEquals(UPLOAD, client.download(token, mxc));
        assertEquals(keyIds, proxy(FEDERATION).serverKeyIds());
        assertEquals("0", psql("select count(*) from e2e_one_time_keys_json"));
        assertEquals("UTF8|C|C", psql("select pg_encoding_to_char(encoding), datcollate, datctype from pg_database"
                + " where datname = 'synapse'"));
        assertEquals("", psql("select datname from pg_database where datname = 'synapse_incoming'"));
        assertFalse(Files.exists(tree.resolve("data/matrix/restore-staging")), "the staging directory is gone");
        try (Stream<Path> media = Files.walk(tree.resolve("data/matrix/files/media_store"))) {
            for (Path path : media.toList()) {
                assertEquals(991, Files.getAttribute(path, "unix:uid"), path.toString());
            }
        }
        for (String secret : List.of("registration_shared_secret", "macaroon_secret_key", "form_secret")) {
            assertEquals(Files.readString(backup.resolve("secrets/" + secret)),
                    Files.readString(tree.resolve("data/matrix/secrets/" + secret)), secret);
        }
        Run again = agent("up", "--pull", "never");
        assertEquals("no changes", again.assertOk().stdout().lines().findFirst().orElse(""), again.toString());
        assertTrue(Files.readString(state.resolve("history.jsonl")).contains("\"command\":\"restore\",\"result\":\"ok\""),
                Files.readString(state.resolve("history.jsonl")));
    }

    @Test
    @Order(4)
    void restoreOntoAnEmptyHostUsesTheConfigurationTheBackupRecorded() throws Exception {
        agent("uninstall", "--purge-data", "--purge-backups", "--yes").assertOk();
        assertFalse(Files.exists(state), "nothing is installed or recorded");
        // No up, no flags: the install comes from install/matrix-install.yaml in the backup, with its database password.
        agent("restore", "--from", backup.toString(), "--pull", "never", "--timeout", "240").assertOk();
        assertEquals(Files.readString(backup.resolve("install/matrix-install.yaml")),
                Files.readString(state.resolve("matrix-install.yaml")));
        for (String secret : List.of("postgres_password", "registration_shared_secret", "macaroon_secret_key", "form_secret")) {
            assertEquals(Files.readString(backup.resolve("secrets/" + secret)),
                    Files.readString(tree.resolve("data/matrix/secrets/" + secret)), secret);
        }
        MatrixClient client = proxy(HTTPS);
        String token = client.token(USER, PASSWORD);
        assertEquals(List.of("first", "second", "third"), client.messages(token, room));
        assertEquals(keyIds, proxy(FEDERATION).serverKeyIds());
    }

    private static Path copy(String name) {
        Path target = tree.resolve(name);
        Run.of(List.of("cp", "-a", backup.toString(), target.toString())).assertOk();
        return target;
    }

    /** Every file of the install (path -> mode and SHA-256). */
    private static Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String root : List.of("data/matrix", "data/nginx", "root/nginx", "state")) {
            try (Stream<Path> walk = Files.walk(tree.resolve(root))) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    if (!file.toString().contains("/backups/") && !file.endsWith("history.jsonl")) {
                        files.put(file.toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + " "
                                + sha256(file));
                    }
                }
            }
        }
        return files;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * pg_dump lists the tables, then locks each; Synapse drops its background updates' {@code _temp_} tables at any
     * time. Here a session holds such a table until pg_dump waits on it, then drops it: the first dump fails
     * ("relation ... does not exist"), and the backup dumps again instead of failing.
     */
    @Test
    @Order(5)
    void aTableDroppedWhilePgDumpWaitsForItIsDumpedAgain() throws Exception {
        psql("create table _temp_dropped_mid_dump (x int)");
        ProcessBuilder session = new ProcessBuilder("docker", "exec", "-i", TestEngine.container(PROJECT, "db"), "psql", "-U",
                "synapse", "-d", "synapse", "-v", "ON_ERROR_STOP=1").redirectErrorStream(true);
        session.environment().putAll(TestEngine.environment());
        Process holder = session.start();
        holder.getOutputStream().write("begin; lock table _temp_dropped_mid_dump in access exclusive mode;\n".getBytes());
        holder.getOutputStream().flush();
        awaitLocks("l.granted", "the session holds the table");
        Thread dropper = new Thread(() -> {
            try {
                awaitLocks("not l.granted", "pg_dump waits for the table");
                holder.getOutputStream().write("drop table _temp_dropped_mid_dump; commit;\n".getBytes());
                holder.getOutputStream().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        dropper.start();
        Run run = agent("backup").assertOk();
        dropper.join(60_000);
        assertEquals(0, holder.waitFor(), new String(holder.getInputStream().readAllBytes()));
        assertTrue(run.stderr().contains("dumping again"), run.toString());
        assertEquals("", psql("select relname from pg_class where relname = '_temp_dropped_mid_dump'"));
    }

    private static void awaitLocks(String which, String what) throws InterruptedException {
        String sql = "select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname ="
                + " '_temp_dropped_mid_dump' and " + which;
        for (long deadline = System.nanoTime() + 120_000_000_000L; !psql(sql).equals("1"); Thread.sleep(100)) {
            assertTrue(System.nanoTime() < deadline, what + " (waited 120 s)");
        }
    }
}
