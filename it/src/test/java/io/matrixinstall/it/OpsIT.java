package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operating an installed server on a real engine: after one `up --tls self-signed`, every command runs with no
 * configuration flags at all (the state directory comes from MATRIX_INSTALL_STATE_DIR, as an admin's would be
 * /etc/matrix-install) and does what it says; data survives stop/start; uninstall keeps the volume until
 * --purge-data --yes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-f-ops";
    static final String PROXY = PROJECT + "-proxy";
    static final int SYNAPSE = 18708;
    static final String USER = "bob";
    static final String PASSWORD = "correct horse battery staple";
    static Agent agent;
    static Path tree;
    static Path state;

    @BeforeAll
    static void install() throws Exception {
        // The agent resolves the test domain as the test JVM does (its /etc/hosts names it). Commands that take the host lock get a lock of
        // this test's own, so other tests on the machine never make them wait.
        agent = Agent.install(PROJECT, "matrix-install-ops-it").ports(SYNAPSE, 18709, 18780, 18743, 18748).ownState()
                .ownLockFor(List.of("up", "start", "stop", "restart", "uninstall")::contains).resolvingTestDomains();
        tree = agent.tree();
        state = agent.state();
        agent.runWithFlags("up", "--tls", "self-signed", "--pull", "never", "--timeout", "240").assertOk();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    @Test
    @Order(1)
    void upRecordsItsConfigurationRootOnlyAndASecondUpWithoutFlagsChangesNothing() throws Exception {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("matrix-install.yaml"))));
        assertTrue(Files.readString(state.resolve("matrix-install.yaml")).contains("tls.mode: \"self-signed\""));
        Run again = agent.run("up", "--pull", "never").assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        Run dry = agent.run("up", "--dry-run", "--set", "element.brand=Ops Chat").assertOk();
        assertTrue(dry.stdout().contains("write " + state.resolve("matrix-install.yaml")), dry.toString());
    }

    @Test
    @Order(2)
    void statusWithoutFlagsIsHealthyAndItsJsonMatchesDockerInspect() throws Exception {
        Run status = agent.run("status").assertOk();
        assertTrue(status.stdout().contains(PROJECT + ": db healthy, synapse healthy, element healthy"), status.stdout());
        assertTrue(status.stdout().contains(PROXY + ": nginx running"), status.stdout());
        assertTrue(status.stdout().contains("certificate: " + DOMAIN), status.stdout());

        JsonNode json = new ObjectMapper().readTree(agent.run("status", "--json").assertOk().stdout());
        assertTrue(json.path("healthy").asBoolean(), json.toString());
        assertEquals(4, json.path("services").size(), json.toString());
        for (JsonNode service : json.path("services")) {
            String project = service.path("name").asText().equals("nginx") ? PROXY : PROJECT;
            String id = TestEngine.container(project, service.path("name").asText());
            String[] inspect = TestEngine.docker("inspect", "-f",
                    "{{.Id}}|{{.Image}}|{{.Config.Image}}|{{.State.Status}}|{{.State.StartedAt}}|{{.RestartCount}}", id)
                    .assertOk().stdout().strip().split("\\|");
            assertEquals(inspect[0], service.path("container_id").asText());
            assertEquals(inspect[1], service.path("image_id").asText());
            assertEquals(inspect[2], service.path("image").asText());
            assertEquals(inspect[3], service.path("state").asText());
            assertEquals(inspect[4], service.path("started_at").asText());
            assertEquals(Integer.parseInt(inspect[5]), service.path("restart_count").asInt());
            assertTrue(service.path("healthy").asBoolean(), service.toString());
        }
        assertTrue(json.path("disk").path("database_volume_bytes").asLong() > 0, json.path("disk").toString());
        assertTrue(json.path("certificate").path("days_left").asLong() > 300);
        assertTrue(json.path("checks").isArray());
    }

    @Test
    @Order(3)
    void stopThenStartInDependencyOrderKeepsData() throws Exception {
        MatrixClient.register(SYNAPSE, agent.secret("registration_shared_secret"), USER, PASSWORD);
        assertEquals(200, login());
        String dbId = TestEngine.container(PROJECT, "db");

        Run stop = agent.run("stop").assertOk();
        assertEquals(List.of("stop nginx", "stop element", "stop synapse", "stop db"), stop.stdout().lines().toList());
        for (String service : List.of("db", "synapse", "element")) {
            assertEquals("exited", TestEngine.docker("inspect", "-f", "{{.State.Status}}",
                    TestEngine.container(PROJECT, service)).assertOk().stdout().strip(), service);
        }
        assertEquals("already stopped: no changes", agent.run("stop").assertOk().stdout().strip());
        Run stopped = agent.run("status");
        assertEquals(1, stopped.exitCode(), stopped.toString());
        assertTrue(stopped.stderr().contains("not healthy: services: db is exited"), stopped.stderr());

        Run start = agent.run("start").assertOk();
        assertEquals(List.of("start db", "start synapse", "start element", "start nginx"), start.stdout().lines().toList());
        assertEquals(dbId, TestEngine.container(PROJECT, "db"), "start reuses the stopped containers");
        assertEquals("already running: no changes", agent.run("start").assertOk().stdout().strip());
        assertEquals(200, login(), "the user registered before stop still logs in");
        assertTrue(agent.run("status").assertOk().stdout().contains(PROJECT + ": db healthy, synapse healthy, element healthy"));
    }

    @Test
    @Order(4)
    void restartOfOneServiceRestartsOnlyIt() throws Exception {
        String db = TestEngine.identity(PROJECT, "db");
        String synapse = TestEngine.identity(PROJECT, "synapse");
        Run dry = agent.run("restart", "synapse", "--dry-run").assertOk();
        assertEquals(List.of("stop synapse", "start synapse", "2 change(s) would be made on localhost"), dry.stdout().lines().toList());
        assertEquals(synapse, TestEngine.identity(PROJECT, "synapse"), "a dry run restarts nothing");
        Run restart = agent.run("restart", "synapse").assertOk();
        assertEquals(List.of("stop synapse", "start synapse"), restart.stdout().lines().toList());
        assertNotEquals(synapse, TestEngine.identity(PROJECT, "synapse"));
        assertEquals(db, TestEngine.identity(PROJECT, "db"));
        assertEquals(200, login());
        assertEquals(2, agent.run("restart", "nope").exitCode());
    }

    @Test
    @Order(5)
    void logsTailsTheServiceThroughTheEngine() {
        Run logs = agent.run("logs", "synapse", "--tail", "5").assertOk();
        List<String> lines = logs.stdout().lines().toList();
        assertTrue(lines.size() >= 1 && lines.size() <= 5, logs.toString());
        assertTrue(logs.stdout().contains("synapse"), logs.stdout());
        Run recent = agent.run("logs", "db", "--since", "10m").assertOk();
        assertTrue(recent.stdout().contains("database system is ready to accept connections"), recent.stdout());
    }

    @Test
    @Order(6)
    void doctorPassesWhatCanPassHere() throws Exception {
        // Federation is found the way other servers find it: through the host's DNS, here a resolver of the test's
        // serving the domain and an SRV record for the federation port (no well-known: nothing listens on 443 here).
        Run doctor;
        try (LoopbackDns dns = new LoopbackDns(Files.createDirectories(tree.resolve("dns-srv")), List.of("example.org"),
                List.of("host-record=" + DOMAIN + ",127.0.0.1", "srv-host=_matrix-fed._tcp." + DOMAIN + "," + DOMAIN + ",18748"))) {
            doctor = agent.runWrapped(dns::resolving, "doctor");
        }
        assertEquals(0, doctor.exitCode(), doctor.toString());
        for (String id : List.of("services", "certificate-file", "disk-free", "dns", "well-known-server", "well-known-client",
                "server-key", "client-api")) {
            assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("ok\\s+" + id + "\\s.*")), id + "\n" + doctor.stdout());
        }
        // Self-signed by design: served, covering the domain, the one on disk, but not trusted by public roots.
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("warn\\s+tls-https\\s.*self-signed.*")), doctor.stdout());
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("warn\\s+tls-federation\\s.*self-signed.*")), doctor.stdout());
        assertTrue(doctor.stdout().contains("verified the signature of " + DOMAIN + " with ed25519:"), doctor.stdout());
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("warn\\s+federation\\s+" + DOMAIN + " → no well-known \\(https://"
                + DOMAIN + "/.well-known/matrix/server: .*\\); SRV _matrix-fed._tcp." + DOMAIN + " \\[" + DOMAIN
                + ":18748]: connected to 127.0.0.1:18748, certificate for " + DOMAIN + ", verified the signature of " + DOMAIN
                + " with ed25519:.*; self-signed.*")), doctor.stdout());
    }

    @Test
    @Order(6)
    void withoutWellKnownOrSrvDoctorFailsTheFederationCheckAtPort8448() throws Exception {
        Run doctor;
        try (LoopbackDns dns = new LoopbackDns(Files.createDirectories(tree.resolve("dns-none")), List.of("example.org"),
                List.of("host-record=" + DOMAIN + ",127.0.0.1"))) {
            doctor = agent.runWrapped(dns::resolving, "doctor");
        }
        assertEquals(1, doctor.exitCode(), doctor.toString());
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("fail\\s+federation\\s+connect: no well-known .*; no SRV"
                + " _matrix-fed._tcp." + DOMAIN + " or _matrix._tcp." + DOMAIN + ", so " + DOMAIN + ":8448: 127.0.0.1:8448"
                + " connection refused → open port 8448 on " + DOMAIN + ", or delegate: .*")), doctor.stdout());
        assertTrue(doctor.stdout().lines().filter(l -> l.startsWith("fail")).count() == 1, doctor.stdout());
    }

    @Test
    @Order(7)
    void historyRecordsEveryOperation() throws Exception {
        List<String> commands = new ArrayList<>();
        for (String line : Files.readAllLines(state.resolve("history.jsonl"))) {
            JsonNode entry = new ObjectMapper().readTree(line);
            assertFalse(entry.path("when").asText().isEmpty());
            commands.add(entry.path("command").asText() + " " + entry.path("result").asText());
        }
        assertEquals(List.of("up ok", "up no changes", "stop ok", "stop no changes", "start ok", "start no changes",
                "restart synapse ok"), commands);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("history.jsonl"))));
    }

    @Test
    @Order(8)
    void aHostWithNothingInstalledSaysSoInOneLine() {
        Map<String, String> environment = new HashMap<>(TestEngine.environment());
        environment.put("MATRIX_INSTALL_STATE_DIR", tree.resolve("empty-state").toString());
        Run status = Run.of(agent.argv(List.of("status")), environment, 60);
        assertEquals(2, status.exitCode(), status.toString());
        assertEquals(1, status.stderr().strip().lines().count(), status.stderr());
        assertTrue(status.stderr().startsWith("matrix-install: nothing is installed"), status.stderr());
    }

    @Test
    @Order(9)
    void uninstallKeepsTheVolumeAndPurgeRemovesIt() {
        String volume = PROJECT + "_postgres-data";
        agent.run("uninstall").assertOk();
        assertEquals("", TestEngine.container(PROJECT, "db"));
        assertEquals("", TestEngine.container(PROXY, "nginx"));
        assertTrue(TestEngine.docker("volume", "inspect", volume).exitCode() == 0, "the database volume stays");
        assertTrue(Files.exists(tree.resolve("data/matrix/files/homeserver.yaml")));
        assertTrue(Files.exists(tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem")));
        assertFalse(Files.exists(state.resolve("matrix-install.yaml")));
        assertEquals(2, agent.run("status").exitCode(), "nothing is installed any more");

        // The recorded configuration is gone: the purge names the install.
        List<String> unconfirmed = new ArrayList<>(List.of("uninstall", "--purge-data"));
        unconfirmed.addAll(agent.installFlags());
        Run refused = agent.run(unconfirmed); // no one types the domain: stdin is closed
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("not confirmed"), refused.stderr());
        // The prompt names what goes: the volume, base_dir, the nginx directories and the state directory.
        for (String named : List.of(volume, tree.resolve("data/matrix").toString(), tree.resolve("data/nginx").toString(),
                tree.resolve("root/nginx").toString(), state.toString())) {
            assertTrue(refused.stderr().contains(named), named + " in " + refused.stderr());
        }
        assertTrue(TestEngine.docker("volume", "inspect", volume).exitCode() == 0, "nothing removed unconfirmed");
        List<String> purge = new ArrayList<>(List.of("uninstall", "--purge-data", "--yes"));
        purge.addAll(agent.installFlags());
        agent.run(purge).assertOk();
        assertNotEquals(0, TestEngine.docker("volume", "inspect", volume).exitCode(), "the database volume is gone");
        assertFalse(Files.exists(tree.resolve("data/matrix")));
        assertFalse(Files.exists(tree.resolve("data/nginx")));
    }

    /** What `backup` and `update` leave under base_dir/backups survives --purge-data; --purge-backups takes it too. */
    @Test
    @Order(10)
    void purgeDataKeepsTheBackupsUnlessPurgeBackups() throws IOException {
        Path backups = tree.resolve("data/matrix/backups");
        Path backup = Files.createDirectories(backups.resolve("backup-20260101T000000Z")).resolve("manifest.json");
        Files.writeString(backup, "{}");
        Path dump = Files.writeString(backups.resolve("synapse-20260101T000000Z.dump"), "dump");
        Path config = Files.createDirectories(tree.resolve("data/matrix/files")).resolve("homeserver.yaml");
        Files.writeString(config, "server_name: x\n");
        List<String> purge = new ArrayList<>(List.of("uninstall", "--purge-data", "--yes"));
        purge.addAll(agent.installFlags());
        Run kept = agent.run(purge).assertOk();
        assertTrue(Files.exists(backup) && Files.exists(dump), kept.toString());
        assertFalse(Files.exists(config), kept.toString());
        assertTrue(kept.stdout().contains("kept " + backups), kept.toString());
        purge.add("--purge-backups");
        agent.run(purge).assertOk();
        assertFalse(Files.exists(tree.resolve("data/matrix")));
    }


    private static int login() throws Exception {
        String body = new ObjectMapper().writeValueAsString(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", USER), "password", PASSWORD));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SYNAPSE
                + "/_matrix/client/v3/login")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
