package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `migrate` from a second, independent real Synapse + PostgreSQL that the test starts with plain `docker run` and a
 * configuration of its own (its own database user and name, secrets, signing key), for the same server name: its
 * users log in on the new install with their passwords, rooms, media and the server key come along; one-time keys do
 * not. An SQLite database or a file that is no custom-format dump is refused before any change. Dumps crafted to run
 * a program in the db container (each proven to do so when loaded the way the agent used to) are refused by `migrate`
 * and `restore`, and nothing of them runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrateIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-backup-mig";
    static final String OLD = "mi-backup-mig-old";
    static final int OLD_SYNAPSE = 21658;
    static final int SYNAPSE = 21618;
    static final String USER = "carol";
    static final String PASSWORD = "an old and trusted password";
    static final String MACAROON = "old,macaroon;secret~with^symbols&=#@";
    static final byte[] UPLOAD = "an upload from the old server".getBytes(StandardCharsets.UTF_8);
    static Agent agent;
    static Path tree;
    static Path state;
    static Path old;
    static String room;
    static String mxc;

    static List<String> migrate(Path dump) {
        return new ArrayList<>(List.of("migrate", "--from-dump", dump.toString(), "--signing-key",
                old.resolve("data/old.signing.key").toString(), "--macaroon-secret-file", old.resolve("macaroon").toString(),
                "--media", old.resolve("data/media_store").toString()));
    }

    @BeforeAll
    static void startTheOldServer() throws Exception {
        // Its own state directory and host lock.
        agent = Agent.install(PROJECT, "mi-backup-mig").ports(SYNAPSE, 21619)
                .settings("--tls", "none", "--set", "refresh.schedule=off").ownState().ownLockFor(command -> true);
        tree = agent.tree();
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        state = agent.state();
        old = tree.resolve("old");
        Path data = old.resolve("data");
        Files.createDirectories(data.resolve("media_store"));
        byte[] seed = new byte[32];
        new java.security.SecureRandom().nextBytes(seed);
        Files.writeString(data.resolve("old.signing.key"), "ed25519 a_old " + Base64.getEncoder().withoutPadding()
                .encodeToString(seed) + "\n");
        Files.writeString(old.resolve("macaroon"), MACAROON + "\n");
        // The old server's own configuration: another database user and name, its own secrets.
        Files.writeString(data.resolve("homeserver.yaml"), String.join("\n",
                "server_name: \"" + DOMAIN + "\"",
                "pid_file: /data/homeserver.pid",
                "report_stats: false",
                "listeners:",
                "  - port: 8008",
                "    type: http",
                "    tls: false",
                "    bind_addresses: ['0.0.0.0']",
                "    resources:",
                "      - names: [client, federation]",
                "database:",
                "  name: psycopg2",
                "  args:",
                "    user: oldsynapse",
                "    password: old-database-password",
                "    dbname: oldhomeserver",
                "    host: " + OLD + "-db",
                "media_store_path: /data/media_store",
                "signing_key_path: /data/old.signing.key",
                "registration_shared_secret: old-registration-secret",
                "macaroon_secret_key: \"" + MACAROON + "\"",
                "form_secret: old-form-secret",
                "trusted_key_servers: []",
                "enable_registration: false", ""));
        Run.of(List.of("chown", "-R", "991:991", data.toString())).assertOk();
        TestEngine.docker("network", "create", OLD).assertOk();
        TestEngine.docker("run", "-d", "--name", OLD + "-db", "--network", OLD, "-e", "POSTGRES_USER=oldsynapse",
                "-e", "POSTGRES_PASSWORD=old-database-password", "-e", "POSTGRES_DB=oldhomeserver",
                "-e", "POSTGRES_INITDB_ARGS=--encoding=UTF-8 --lc-collate=C --lc-ctype=C", "postgres:15-alpine").assertOk();
        waitFor(() -> TestEngine.docker("exec", OLD + "-db", "pg_isready", "-h", "127.0.0.1", "-U", "oldsynapse",
                "-d", "oldhomeserver").exitCode() == 0, "the old PostgreSQL");
        TestEngine.docker("run", "-d", "--name", OLD + "-synapse", "--network", OLD, "-e", "SYNAPSE_CONFIG_PATH=/data/homeserver.yaml",
                "-v", data + ":/data", "-p", "127.0.0.1:" + OLD_SYNAPSE + ":8008", "matrixdotorg/synapse:latest").assertOk();
        waitFor(() -> health(OLD_SYNAPSE) == 200, "the old Synapse");

        MatrixClient.register(OLD_SYNAPSE, "old-registration-secret", USER, PASSWORD);
        MatrixClient client = new MatrixClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + OLD_SYNAPSE);
        String token = client.token(USER, PASSWORD);
        room = client.createRoom(token);
        client.send(token, room, "said on the old server");
        mxc = client.upload(token, UPLOAD);
        client.post(token, "/_matrix/client/v3/keys/upload",
                "{\"one_time_keys\":{\"curve25519:AAAAAQ\":\"ZmFrZS1vbmUtdGltZS1rZXktZm9yLXRoZS10ZXN0\"}}");
        assertEquals(List.of("ed25519:a_old"), client.serverKeyIds());

        // Seed 002: stop the old Synapse for good, then pg_dump -Fc -O.
        TestEngine.docker("stop", OLD + "-synapse").assertOk();
        Run.of(List.of("sh", "-c", "docker exec \"$1\" pg_dump -Fc -O -U oldsynapse -d oldhomeserver > \"$2\"", "sh",
                OLD + "-db", old.resolve("synapse.dump").toString()), TestEngine.environment(), 120).assertOk();
    }

    @AfterAll
    static void tearDown() {
        TestEngine.docker("rm", "-f", "-v", OLD + "-synapse", OLD + "-db");
        TestEngine.docker("network", "rm", OLD);
        if (agent != null) {
            agent.tearDown();
        }
    }

    @Test
    @Order(1)
    void anSqliteDatabaseOrAnotherFileIsRefusedBeforeAnyChange() throws Exception {
        Path sqlite = old.resolve("homeserver.db");
        byte[] header = new byte[4096];
        System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 16);
        Files.write(sqlite, header);
        List<String> args = migrate(sqlite);
        args.addAll(agent.installFlags());
        Run refused = agent.run(args);
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains("is an SQLite database") && refused.stderr().contains("synapse_port_db"),
                refused.stderr());

        args = migrate(old.resolve("data/homeserver.yaml"));
        args.addAll(agent.installFlags());
        refused = agent.run(args);
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("is not a pg_dump custom-format archive"), refused.stderr());
        assertFalse(Files.exists(tree.resolve("data")), "nothing was installed");
        assertFalse(Files.exists(state), "nothing was recorded");
    }

    @Test
    @Order(2)
    void theOldServersUsersLogInOnTheNewInstall() throws Exception {
        List<String> up = new ArrayList<>(List.of("up", "--pull", "never", "--timeout", "240"));
        up.addAll(agent.installFlags());
        agent.run(up).assertOk();
        MatrixClient client = new MatrixClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + SYNAPSE);
        assertEquals(403, client.login(USER, PASSWORD).statusCode(), "the fresh install does not know carol yet");

        long start = System.nanoTime();
        Run migrated = agent.run(migrate(old.resolve("synapse.dump"))).assertOk();
        System.out.printf("BENCHMARK migrate-small %.2f%n", (System.nanoTime() - start) / 1e9);
        assertTrue(migrated.stdout().contains("migrated " + DOMAIN + " from "), migrated.toString());

        String token = client.token(USER, PASSWORD);
        assertEquals(List.of("said on the old server"), client.messages(token, room));
        assertArrayEquals(UPLOAD, client.download(token, mxc));
        assertEquals(List.of("ed25519:a_old"), client.serverKeyIds());
        assertTrue(Files.readString(tree.resolve("data/matrix/files/homeserver.yaml"))
                .contains("macaroon_secret_key: \"" + MACAROON + "\""));
        String db = TestEngine.container(PROJECT, "db");
        assertEquals("0", TestEngine.docker("exec", db, "psql", "-U", "synapse", "-d", "synapse", "-tA", "-c",
                "select count(*) from e2e_one_time_keys_json").assertOk().stdout().strip());
        assertEquals("synapse", TestEngine.docker("exec", db, "psql", "-U", "synapse", "-d", "synapse", "-tA", "-c",
                "select tableowner from pg_tables where tablename = 'users'").assertOk().stdout().strip());
    }

    static int health(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not come up within 120 s: "
                        + TestEngine.docker("logs", "--tail", "30", OLD + "-synapse").stderr());
            }
            Thread.sleep(500);
        }
    }

    /**
     * Three archives a hostile old server (or a tampered backup) could hand over, each running {@code COPY ... TO
     * PROGRAM 'touch MARKER'} as whoever loads it or later writes to it: a materialized view whose refresh calls a
     * function of its own; a function with the name of a Synapse function, called by a check constraint while the
     * table's rows are copied in; the same name as a trigger function, run by whoever inserts a membership later.
     * Each does run its program in a PostgreSQL where the superuser restores it the way the agent used to (the
     * controls, in the old server's PostgreSQL); in the install's db container none runs, `migrate` and `restore`
     * exit 1 with one refusal, and the live database is untouched.
     */
    @Test
    @Order(3)
    void dumpsThatWouldRunProgramsAreRefusedAndRunNothing() throws Exception {
        String guard = "IF current_database() NOT LIKE 'crafted%' THEN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch /tmp/";
        Path matview = craft("crafted_matview", "CREATE FUNCTION pwn() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN "
                + guard + "pwned-matview'''; END IF; RETURN 1; END $$;"
                + " CREATE MATERIALIZED VIEW users AS SELECT pwn() AS name;");
        Path check = craft("crafted_check", "CREATE FUNCTION check_event_stream_ordering() RETURNS integer LANGUAGE plpgsql"
                + " AS $$ BEGIN " + guard + "pwned-check'''; END IF; RETURN 1; END $$;"
                + " CREATE TABLE events (stream_ordering integer CHECK (check_event_stream_ordering() = 1));"
                + " INSERT INTO events VALUES (1);");
        Path trigger = craft("crafted_trigger", "CREATE FUNCTION check_event_stream_ordering() RETURNS trigger LANGUAGE plpgsql"
                + " AS $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch /tmp/pwned-trigger'''; RETURN NEW; END $$;"
                + " CREATE TABLE room_memberships (event_id text); CREATE TRIGGER check_event_stream_ordering BEFORE INSERT"
                + " ON room_memberships FOR EACH ROW EXECUTE FUNCTION check_event_stream_ordering();");

        // The controls: loaded by a superuser as the agent used to, each one runs its program (the trigger's on insert).
        controlLoad(matview, "control_matview");
        controlLoad(check, "control_check");
        controlLoad(trigger, "control_trigger");
        TestEngine.docker("exec", OLD + "-db", "psql", "-U", "oldsynapse", "-d", "control_trigger", "-c",
                "INSERT INTO room_memberships VALUES ('$e')").assertOk();
        for (String marker : MARKERS) {
            assertEquals(0, TestEngine.docker("exec", OLD + "-db", "test", "-e", "/tmp/" + marker).exitCode(),
                    marker + ": the crafted dump does not do what the test means it to");
        }

        assertRefused(crafted(matview), "pwned-matview", "lists what is not Synapse's schema or data: FUNCTION public pwn()");
        assertRefused(crafted(check), "pwned-check", "did not load (pg_restore as a role that is no superuser): pg_restore:"
                + " error: COPY failed for table \"events\": ERROR:  must be superuser");
        assertRefused(crafted(trigger), "pwned-trigger", "holds what is not Synapse's schema: function"
                + " check_event_stream_ordering()");

        // restore loads the same way: a backup of this install with the check-constraint dump in place of its own.
        Path set = tree.resolve("crafted-backup");
        agent.run(List.of("backup", "--to", set.toString())).assertOk();
        Files.copy(check, set.resolve("database.dump"), StandardCopyOption.REPLACE_EXISTING);
        ObjectNode manifest = (ObjectNode) MatrixClient.JSON.readTree(set.resolve("manifest.json").toFile());
        for (JsonNode part : manifest.path("parts")) {
            if (part.path("name").asText().equals("database.dump")) {
                ((ObjectNode) part).put("bytes", Files.size(check)).put("sha256", BackupRestoreIT.sha256(check));
            }
        }
        Files.write(set.resolve("manifest.json"), MatrixClient.JSON.writeValueAsBytes(manifest));
        assertRefused(agent.run(List.of("restore", "--from", set.toString(), "--timeout", "60")), "pwned-check",
                "did not load (pg_restore as a role that is no superuser)");

        String db = TestEngine.container(PROJECT, "db");
        assertEquals("", TestEngine.docker("exec", db, "psql", "-U", "synapse", "-d", "postgres", "-tA", "-c",
                "select datname from pg_database where datname = 'synapse_incoming' union all"
                        + " select rolname from pg_roles where rolname <> 'synapse' and rolname not like 'pg\\_%'")
                .assertOk().stdout().strip(), "nothing of the refused loads is left");
        MatrixClient client = new MatrixClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + SYNAPSE);
        assertEquals(List.of("said on the old server"), client.messages(client.token(USER, PASSWORD), room),
                "the live database was not touched");
    }

    static final List<String> MARKERS = List.of("pwned-matview", "pwned-check", "pwned-trigger");

    /** `migrate` of a crafted dump; a short health wait, should a loaded one ever be swapped in. */
    private static Run crafted(Path dump) {
        List<String> args = migrate(dump);
        args.addAll(List.of("--timeout", "60"));
        return agent.run(args);
    }

    /** Nothing ran in the install's db container; exit 1, one error line giving the reason. */
    private static void assertRefused(Run run, String marker, String reason) {
        assertEquals(1, TestEngine.docker("exec", TestEngine.container(PROJECT, "db"), "test", "-e", "/tmp/" + marker)
                .exitCode(), marker + " ran in the install's db container: " + run);
        assertEquals(1, run.exitCode(), run.toString());
        // Progress lines ("... database restore: ...") go to stderr too; the error is one line of its own.
        List<String> errors = run.stderr().lines().filter(l -> !l.startsWith("... ")).toList();
        assertEquals(1, errors.size(), run.stderr());
        assertTrue(errors.get(0).startsWith("matrix-install: ") && errors.get(0).contains(reason)
                && errors.get(0).endsWith("the live database was not touched"), run.stderr());
    }

    /** A custom-format archive (pg_dump -Fc -O) of a database made by {@code sql} in the old server's PostgreSQL. */
    private static Path craft(String database, String sql) {
        TestEngine.docker("exec", OLD + "-db", "psql", "-U", "oldsynapse", "-d", "oldhomeserver", "-c",
                "CREATE DATABASE " + database).assertOk();
        TestEngine.docker("exec", OLD + "-db", "psql", "-U", "oldsynapse", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql)
                .assertOk();
        Path dump = old.resolve(database + ".dump");
        Run.of(List.of("sh", "-c", "docker exec \"$1\" pg_dump -Fc -O -U oldsynapse -d \"$2\" > \"$3\"", "sh", OLD + "-db",
                database, dump.toString()), TestEngine.environment(), 120).assertOk();
        return dump;
    }

    /** Loads {@code dump} as the agent's restore did before: pg_restore by the superuser, --no-owner --no-acl. */
    private static void controlLoad(Path dump, String database) {
        TestEngine.docker("exec", OLD + "-db", "psql", "-U", "oldsynapse", "-d", "oldhomeserver", "-c",
                "CREATE DATABASE " + database).assertOk();
        Run.of(List.of("sh", "-c", "docker exec -i \"$1\" pg_restore -U oldsynapse -d \"$2\" --no-owner --no-acl"
                + " --role=oldsynapse --exit-on-error < \"$3\"", "sh", OLD + "-db", database, dump.toString()),
                TestEngine.environment(), 120).assertOk();
    }
}
