package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * TURN on a real install (turn.enabled): Synapse hands a logged-in user time-limited credentials through the public
 * proxy; a real TURN client (Debian's turnutils_uclient, in a peer container started by Testcontainers on the
 * harness engine) allocates a relay with them, is refused with wrong ones, and is refused a relay towards loopback
 * and towards a private address (the database container); a second `up` changes nothing and says nothing about the
 * firewall. A backup carries the shared secret: restored onto the wiped host, Synapse and coturn share it again. Then
 * TURN is switched off: the dry run lists what goes, `up` removes it, a second `up` has no changes, nothing is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TurnIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-turn-1";
    static final int HTTPS = 26043;
    static final int TURN = 26010;
    static final int TURN_TLS = 26011;
    static final int RELAY_MIN = 26050;
    static final int RELAY_MAX = 26099;
    static final String PASSWORD = "founder's TURN test pass phrase";
    static final ObjectMapper JSON = new ObjectMapper();
    static Agent agent;
    static Path tree;
    static String hostAddress;
    static HttpClient client;

    @BeforeAll
    static void install() throws Exception {
        // Testcontainers reads the engine from DOCKER_HOST; the harness's env file names it (scripts/test.sh exports it).
        assertEquals(TestEngine.environment().get("DOCKER_HOST"), System.getenv("DOCKER_HOST"),
                "export the harness engine first: set -a; . " + TestEngine.ENV_FILE + "; set +a");
        agent = Agent.install(PROJECT, "matrix-install-turn-it").ports(26008, 26009, 26030, HTTPS, 26048)
                .settings("--tls", "self-signed", "--pull", "never", "--set", "refresh.schedule=off", "--timeout", "240");
        tree = agent.tree();
        // The peer containers reach this host at the engine's bridge gateway: that is the relay's "public" address here.
        hostAddress = TestEngine.docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "bridge")
                .assertOk().stdout().strip();
        Path password = tree.resolve("founder-password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Run up = agent.runWithFlags("up", turnOn("--admin", "founder", "--admin-password-file", password.toString()));
        up.assertOk();
        assertTrue(up.stdout().contains(FIREWALL), up.toString());
        client = trustingTheProxy();
    }

    static final String FIREWALL = "firewall: the TURN server needs " + TURN + "/udp, " + TURN + "/tcp, " + TURN_TLS
            + "/tcp and its relay range " + RELAY_MIN + "-" + RELAY_MAX + "/udp open to everyone";

    /** TURN on, on this test's ports and address, then {@code more}. */
    static String[] turnOn(String... more) {
        List<String> flags = new ArrayList<>(List.of("--set", "turn.enabled=true", "--set", "turn.external_ip=" + hostAddress,
                "--set", "turn.port=" + TURN, "--set", "turn.tls_port=" + TURN_TLS,
                "--set", "turn.relay_min_port=" + RELAY_MIN, "--set", "turn.relay_max_port=" + RELAY_MAX));
        flags.addAll(List.of(more));
        return flags.toArray(String[]::new);
    }

    /** A client trusting the proxy's current (self-signed) certificate. */
    static HttpClient trustingTheProxy() throws Exception {
        return HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem")))).build();
    }

    @AfterAll
    static void tearDown() {
        if (agent != null) {
            agent.tearDown();
        }
    }

    /** Logs founder in through the public proxy and asks Synapse for TURN credentials, as a calling client does. */
    static JsonNode turnServer() throws Exception {
        String body = JSON.writeValueAsString(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "founder"), "password", PASSWORD));
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS
                + "/_matrix/client/v3/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String token = JSON.readTree(login.body()).path("access_token").asText();
        HttpResponse<String> turn = client.send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS
                + "/_matrix/client/v3/voip/turnServer")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, turn.statusCode(), turn.body());
        return JSON.readTree(turn.body());
    }

    /** turnutils_uclient in a peer container on the harness engine; its output and exit code (it ends by itself). */
    static String uclient(String... args) {
        List<String> command = new ArrayList<>(List.of("-c", "turnutils_uclient \"$@\" 2>&1; echo \"uclient exit $?\"", "sh"));
        command.addAll(List.of(args));
        // A refused allocation makes the client exit non-zero; the shell reports it, so the one-shot start succeeds.
        try (GenericContainer<?> peer = new GenericContainer<>(DockerImageName.parse("coturn/coturn:latest"))
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sh"))
                .withCommand(command.toArray(String[]::new))
                .withStartupAttempts(1)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            peer.start();
            return peer.getLogs();
        }
    }

    static List<String> clientArgs(String user, String password, String peer, String... transport) {
        List<String> args = new ArrayList<>(List.of(transport));
        if (!args.contains("-p")) {
            args.addAll(List.of("-p", String.valueOf(TURN)));
        }
        // -c: no RTCP pair, so each run takes fewer relay ports (allocations live until they expire).
        args.addAll(List.of("-v", "-c", "-n", "1", "-m", "1", "-u", user, "-w", password, "-e", peer, hostAddress));
        return args;
    }

    private static final Pattern RELAYED = Pattern.compile("Received relay addr: ([0-9.]+):([0-9]+)");

    @Test
    @Order(1)
    void synapseHandsOutTimeLimitedCredentialsAndCoturnRelaysOnlyToPublicPeers() throws Exception {
        JsonNode turn = turnServer();
        assertEquals(List.of("turn:" + DOMAIN + ":" + TURN + "?transport=udp", "turn:" + DOMAIN + ":" + TURN + "?transport=tcp",
                "turns:" + DOMAIN + ":" + TURN_TLS + "?transport=tcp"),
                JSON.convertValue(turn.path("uris"), List.class), turn.toString());
        assertEquals(3600, turn.path("ttl").asInt(), turn.toString());
        String user = turn.path("username").asText();
        String password = turn.path("password").asText();
        // Synapse's TURN REST credentials: "<expiry>:<user id>", valid for turn.user_lifetime.
        long expiry = Long.parseLong(user.substring(0, user.indexOf(':')));
        assertTrue(Math.abs(expiry - Instant.now().plusSeconds(3600).getEpochSecond()) < 120, user);
        assertEquals("@founder:" + DOMAIN, user.substring(user.indexOf(':') + 1));

        // A relay is allocated (UDP, TCP and TLS to the listeners) in the configured range on the external address; a
        // relay towards the host's loopback is refused.
        for (String[] transport : new String[][] {{}, {"-t"}, {"-t", "-S", "-p", String.valueOf(TURN_TLS)}}) {
            String out = uclient(clientArgs(user, password, "127.0.0.1", transport).toArray(String[]::new));
            Matcher relayed = RELAYED.matcher(out);
            assertTrue(relayed.find(), out);
            assertEquals(hostAddress, relayed.group(1), out);
            int port = Integer.parseInt(relayed.group(2));
            assertTrue(port >= RELAY_MIN && port <= RELAY_MAX, out);
            assertTrue(out.contains("error 403 (Forbidden IP)"), out);
        }
        // Towards a private address on this host's Docker network, where PostgreSQL listens: refused as well.
        String db = TestEngine.docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                TestEngine.container(PROJECT, "db")).assertOk().stdout().strip();
        String toDb = uclient(clientArgs(user, password, db).toArray(String[]::new));
        assertTrue(RELAYED.matcher(toDb).find(), toDb);
        assertTrue(toDb.contains("error 403 (Forbidden IP)"), toDb);

        // Wrong credentials: no allocation at all.
        String wrong = uclient(clientArgs(user, "not-the-password", "127.0.0.1").toArray(String[]::new));
        assertFalse(RELAYED.matcher(wrong).find(), wrong);
        assertTrue(wrong.contains("Cannot complete Allocation"), wrong);

        // status shows the service, healthy once its STUN self-check has run.
        Run status = agent.run("status");
        for (int i = 0; i < 30 && !status.stdout().contains("coturn healthy"); i++) {
            Thread.sleep(2000);
            status = agent.run("status");
        }
        assertTrue(status.stdout().contains(PROJECT + ": db healthy, synapse healthy, element healthy, coturn healthy"),
                status.toString());
        assertTrue(status.stdout().contains("turn: turn:" + DOMAIN + ":" + TURN + " (udp, tcp), turns:" + DOMAIN + ":" + TURN_TLS
                + "; relay ports " + RELAY_MIN + "-" + RELAY_MAX + "/udp; address " + hostAddress), status.toString());
        // Preflight: the install's own coturn holding its ports is no reason to refuse the next `up`.
        assertEquals("no changes", agent.runWithFlags("up", turnOn("--dry-run"))
                .assertOk().stdout().lines().findFirst().orElse(""));
        // A run that changes nothing is quiet about the firewall: it was said when TURN came on, and status shows it.
        Run again = agent.runWithFlags("up", turnOn()).assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        assertFalse(again.stdout().contains("firewall:"), again.toString());
    }

    @Test
    @Order(2)
    void aBackupCarriesTheSharedSecretAndARestoreOntoAWipedHostGivesItToSynapseAndCoturnAlike() throws Exception {
        String secret = agent.secret("turn_shared_secret");
        Run backup = agent.run("backup").assertOk();
        String last = backup.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("backup written to "), backup.toString());
        Path written = Path.of(last.substring("backup written to ".length(), last.indexOf(": ")));
        assertEquals(secret, Files.readString(written.resolve("secrets/turn_shared_secret")).strip());
        assertTrue(Files.readString(written.resolve("manifest.json")).contains("\"secrets/turn_shared_secret\""));

        // A wiped host (the backups under base_dir stay), then the restore: TURN comes back with the backup's secret.
        agent.run("uninstall", "--purge-data", "--yes").assertOk();
        assertFalse(Files.exists(tree.resolve("data/matrix/secrets/turn_shared_secret")));
        Run restore = agent.runWithFlags("restore", turnOn("--from", written.toString())).assertOk();
        assertTrue(restore.stdout().contains(FIREWALL), "a fresh host has TURN anew: " + restore);
        assertEquals(secret, agent.secret("turn_shared_secret"));
        assertTrue(Files.readString(tree.resolve("data/matrix/turnserver.conf")).contains("\nstatic-auth-secret=" + secret + "\n"));
        assertTrue(Files.readString(tree.resolve("data/matrix/files/homeserver.yaml"))
                .contains("turn_shared_secret: \"" + secret + "\""));
        // Credentials Synapse hands out now are coturn's: a relay is allocated with them.
        client = trustingTheProxy();
        JsonNode turn = turnServer();
        String out = uclient(clientArgs(turn.path("username").asText(), turn.path("password").asText(), "127.0.0.1")
                .toArray(String[]::new));
        assertTrue(RELAYED.matcher(out).find(), out);
    }

    @Test
    @Order(3)
    void switchedOffItLeavesNothing() throws Exception {
        Path conf = tree.resolve("data/matrix/turnserver.conf");
        Path secret = tree.resolve("data/matrix/secrets/turn_shared_secret");
        assertTrue(Files.exists(conf) && Files.exists(secret));
        Run dry = agent.runWithFlags("up", "--set", "turn.enabled=false", "--dry-run").assertOk();
        assertTrue(dry.stdout().contains("remove " + conf + " (turn.enabled is false)"), dry.toString());
        assertTrue(dry.stdout().contains("remove " + secret + " (turn.enabled is false)"), dry.toString());
        assertTrue(dry.stdout().contains("remove coturn, no longer configured"), dry.toString());
        assertFalse(TestEngine.container(PROJECT, "coturn").isEmpty(), "a dry run changes nothing");

        agent.runWithFlags("up", "--set", "turn.enabled=false").assertOk();
        Run again = agent.runWithFlags("up", "--set", "turn.enabled=false");
        again.assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        assertEquals("", TestEngine.container(PROJECT, "coturn"));
        assertFalse(Files.exists(conf) || Files.exists(secret));
        String homeserver = Files.readString(tree.resolve("data/matrix/files/homeserver.yaml"));
        assertFalse(homeserver.contains("turn_"), homeserver);
        assertFalse(Files.readString(tree.resolve("data/matrix/docker-compose.yml")).contains("coturn"));
        // Switching it on again while another program holds the TURN port: one line, exit 2, nothing changed.
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.1", TURN + 2))) {
            Run busy = agent.runWithFlags("up", "--set", "turn.enabled=true", "--set", "turn.external_ip=" + hostAddress,
                    "--set", "turn.port=" + (TURN + 2), "--set", "turn.tls_port=" + TURN_TLS,
                    "--set", "turn.relay_min_port=" + RELAY_MIN, "--set", "turn.relay_max_port=" + RELAY_MAX, "--dry-run");
            assertEquals(2, busy.exitCode(), busy.toString());
            assertTrue(busy.stderr().startsWith("matrix-install: port " + (TURN + 2) + "/udp is already in use by java; turn needs "
                    + (TURN + 2) + "/udp, " + (TURN + 2) + "/tcp, " + TURN_TLS + "/tcp."), busy.toString());
        }
    }
}
