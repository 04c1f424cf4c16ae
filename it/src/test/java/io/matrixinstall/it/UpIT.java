package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `up` on a real Docker engine with real PostgreSQL 15 and real Synapse (the stand-in images built from
 * upstream software by scripts/prepare-test-host.sh). One install, exercised in order.
 * All host paths live under a throwaway directory and the project names are the test's own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpIT {
    static final String PROJECT = "mi-it";
    static final int SYNAPSE_PORT = 18108;
    static Agent agent;
    static Path tree;

    /** `up` with the test's settings, then {@code extra}. */
    static List<String> args(String... extra) {
        List<String> args = new ArrayList<>(agent.withFlags("up", "--tls", "none", "--pull", "never",
                "--set", "refresh.schedule=off", "--timeout", "240"));
        args.addAll(List.of(extra));
        return args;
    }

    static Run up(String... extra) {
        return agent.run(args(extra));
    }

    static int health() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SYNAPSE_PORT + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static String psql(String sql) {
        return TestEngine.docker("exec", TestEngine.container(PROJECT, "db"), "psql", "-U", "synapse", "-d", "synapse",
                "-tAc", sql).assertOk().stdout().strip();
    }

    @BeforeAll
    static void tree() {
        agent = Agent.install(PROJECT, "matrix-install-up-it").ports(SYNAPSE_PORT, 18180);
        tree = agent.tree();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    @Test
    @Order(1)
    void upBringsTheStackToHealthyWithRealPostgres() throws IOException {
        Run run = up();
        run.assertOk();
        assertTrue(run.stdout().contains("start matrix stack"), run.toString());
        assertEquals(200, health());
        assertEquals("UTF8|C|C", psql("SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
                + " WHERE datname = 'synapse'"));
        assertTrue(psql("SHOW server_version").startsWith("15."));
        // Synapse made its schema in this PostgreSQL: it really is the backing store.
        assertEquals("1", psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tree.resolve("data/matrix/files/homeserver.yaml"))));
        assertEquals(991, Files.getAttribute(tree.resolve("data/matrix/files"), "unix:uid"));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tree.resolve("data/matrix/secrets"))));
        for (String service : List.of("db", "synapse", "element")) {
            assertFalse(TestEngine.container(PROJECT, service).isEmpty(), service);
        }
    }

    @Test
    @Order(2)
    void aSecondUpChangesNothingAndRestartsNothing() {
        Map<String, String> before = identities();
        Run run = up();
        run.assertOk();
        assertEquals("no changes", run.stdout().lines().findFirst().orElse(""), run.toString());
        assertEquals(before, identities());
        assertEquals("no changes", agent.run(args("--dry-run"))
                .assertOk().stdout().strip());
    }

    @Test
    @Order(3)
    void statusRightAfterUpAgreesWithIt() {
        // Docker runs its first scheduled health check up to 15 s after the start: status must not say "starting".
        List<String> status = new ArrayList<>(args());
        status.set(status.indexOf("up"), "status");
        for (String upOnly : List.of("--pull", "--timeout")) {
            int at = status.indexOf(upOnly);
            status.remove(at + 1);
            status.remove(at);
        }
        Run run = agent.run(status);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("synapse healthy"), run.stdout());
        assertFalse(run.stdout().contains("starting"), run.stdout());
    }

    @Test
    @Order(4)
    void aChangedSettingRestartsOnlyTheServiceItAffects() throws IOException {
        Map<String, String> before = identities();
        Run run = up("--element-brand", "Club Chat");
        run.assertOk();
        Map<String, String> after = identities();
        assertEquals(before.get("db"), after.get("db"));
        assertEquals(before.get("synapse"), after.get("synapse"));
        assertNotEquals(before.get("element"), after.get("element"));
        assertTrue(Files.readString(tree.resolve("data/matrix/element-config.json")).contains("\"brand\": \"Club Chat\""));
    }

    @Test
    @Order(5)
    void aConfigSynapseRejectsIsNotAppliedAndTheStackStaysHealthy() throws IOException {
        Path extra = tree.resolve("extra.yaml");
        Files.writeString(extra, "enable_registration: perhaps\n");
        Path homeserver = tree.resolve("data/matrix/files/homeserver.yaml");
        String installed = Files.readString(homeserver);
        Map<String, String> before = identities();
        Run run = up("--element-brand", "Club Chat", "--set", "synapse.extra_config=" + extra);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("Synapse rejected the new homeserver.yaml"), run.toString());
        assertTrue(run.stderr().contains("perhaps"), "Synapse's own words are shown: " + run.stderr());
        assertEquals(installed, Files.readString(homeserver));
        assertEquals(before, identities());
        assertEquals(200, health());
    }

    @Test
    @Order(6)
    void pullNeverWithAMissingImageFailsNamingIt() {
        Run run = up("--element-brand", "Club Chat", "--set", "images.element=vectorim/element-web:not-here");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("matrix-install: image vectorim/element-web:not-here is not on this host and --pull never"
                + " forbids pulling it", run.stderr().strip());
    }

    @Test
    @Order(7)
    void upWhenNotRootFailsBeforeAnyChange() throws IOException {
        Path elsewhere = Files.createTempDirectory("matrix-install-not-root");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        argv.addAll(agent.argv(args("--base-dir", elsewhere + "/data/matrix")));
        Run run = Run.of(argv, agent.environment(), 120);
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.stderr().startsWith("matrix-install: must run as root"), run.toString());
        try (var listing = Files.list(elsewhere)) {
            assertEquals(0, listing.count(), "nothing may be written");
        }
    }

    @Test
    @Order(8)
    void aPublicPortHeldByAnotherProgramIsReportedBeforeAnyChange() throws IOException {
        Path elsewhere = Files.createTempDirectory("matrix-install-port");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(28443, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Run run = agent.run(args("--tls", "nginx-certbot", "--base-dir", elsewhere + "/data/matrix",
                    "--set", "ports.https=28443", "--set", "ports.federation=28448"));
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.stderr().startsWith("matrix-install: port 28443 is already in use by java;"), run.toString());
        }
        try (var listing = Files.list(elsewhere)) {
            assertEquals(0, listing.count(), "nothing may be written");
        }
    }

    private static Map<String, String> identities() {
        return Map.of("db", TestEngine.identity(PROJECT, "db"), "synapse", TestEngine.identity(PROJECT, "synapse"),
                "element", TestEngine.identity(PROJECT, "element"));
    }
}
