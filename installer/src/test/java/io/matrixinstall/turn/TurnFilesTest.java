package io.matrixinstall.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.component.Component;
import io.matrixinstall.component.Components;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.up.Plans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TURN server's files: off by default, and when on, a secret shared by coturn and Synapse and no open relay. */
class TurnFilesTest {
    @TempDir
    Path root;

    private static InstallConfig config(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org",
                "tls.mode", "self-signed"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return ConfigLoader.load(Optional.empty(), values);
    }

    private void apply(InstallConfig config) {
        Plans.files().run(new PlanContext(config, host(), ChangeGate.applying(line -> {})));
    }

    private Host host() {
        return new RootedHost(new LocalHost(), root);
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path.substring(1)), StandardCharsets.UTF_8);
    }

    @Test
    void offByDefaultLeavesNoTraceOfTurn() throws IOException {
        apply(config());
        assertFalse(Files.exists(root.resolve("data/matrix/turnserver.conf")));
        assertFalse(Files.exists(root.resolve("data/matrix/secrets/turn_shared_secret")));
        assertFalse(read("/data/matrix/files/homeserver.yaml").contains("turn_"));
        assertFalse(read("/data/matrix/docker-compose.yml").contains("coturn"));
    }

    @Test
    void onSharesOneGeneratedSecretBetweenCoturnAndSynapseInRootOnlyFiles() throws IOException {
        apply(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7"));
        String secret = read("/data/matrix/secrets/turn_shared_secret").strip();
        assertTrue(secret.matches("[A-Za-z0-9]{32}"), secret.length() + " characters");
        String conf = read("/data/matrix/turnserver.conf");
        assertTrue(conf.contains("\nuse-auth-secret\n"), conf);
        assertTrue(conf.contains("\nstatic-auth-secret=" + secret + "\n"), conf);
        assertTrue(conf.contains("\nexternal-ip=203.0.113.7\n"), conf);
        assertTrue(conf.contains("\nmin-port=49160\nmax-port=49200\n"), conf);
        assertEquals(new FileState(false, Ownership.ROOT, 0600), host().stat(Path.of("/data/matrix/turnserver.conf")).orElseThrow());
        assertEquals(new FileState(false, Ownership.ROOT, 0600),
                host().stat(Path.of("/data/matrix/secrets/turn_shared_secret")).orElseThrow());
        String homeserver = read("/data/matrix/files/homeserver.yaml");
        assertTrue(homeserver.contains("turn_shared_secret: \"" + secret + "\""), homeserver);
        assertTrue(homeserver.contains("- \"turn:matrix.example.org:3478?transport=udp\""), homeserver);
        assertTrue(homeserver.contains("- \"turns:matrix.example.org:5349?transport=tcp\""), homeserver);
        assertTrue(homeserver.contains("turn_user_lifetime: \"1h\""), homeserver);
        String compose = read("/data/matrix/docker-compose.yml");
        assertTrue(compose.contains("  coturn:\n"), compose);
        assertTrue(compose.contains("/data/nginx/letsencrypt/live/matrix.example.org:/etc/coturn/tls:ro"), compose);
        assertFalse(compose.contains(secret), "the secret stays out of the compose file");

        apply(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7"));
        assertEquals(secret, read("/data/matrix/secrets/turn_shared_secret").strip(), "generated once, then kept");
    }

    /** The lines `up` prints after this run on the tree: the notices of the components whose files it wrote. */
    private List<String> noticesOfARun(InstallConfig config) {
        PlanContext context = new PlanContext(config, host(), ChangeGate.applying(line -> {}));
        Plans.files().run(context);
        return Components.notices(context.layout(), context.gate().recorded());
    }

    @Test
    void theFirewallLineIsSaidWhenTurnIsSwitchedOnOrItsPortsChangeNotOnARunThatChangesNothing() {
        String firewall = "firewall: the TURN server needs 3478/udp, 3478/tcp, 5349/tcp and its relay range 49160-49200/udp"
                + " open to everyone (docs/turn.md)";
        assertEquals(List.of(), noticesOfARun(config()), "off: nothing to open");
        InstallConfig on = config("turn.enabled", "true", "turn.external_ip", "203.0.113.7");
        assertEquals(List.of(firewall), noticesOfARun(on), "switched on");
        assertEquals(List.of(), noticesOfARun(on), "no changes: quiet");
        assertEquals(List.of(firewall.replace("49160-49200", "49160-49300")),
                noticesOfARun(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7", "turn.relay_max_port", "49300")),
                "a new relay range");
        assertEquals(List.of(), noticesOfARun(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7",
                "turn.relay_max_port", "49300")));
        // A run that changes another component's file only (Element's theme) says nothing about TURN.
        assertEquals(List.of(), noticesOfARun(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7",
                "turn.relay_max_port", "49300", "element.default_theme", "dark")));
        // A dry run that would switch it on says it too (it lists the same changes).
        InstallConfig otherPort = config("turn.enabled", "true", "turn.external_ip", "203.0.113.7", "turn.port", "3479");
        PlanContext dry = new PlanContext(otherPort, host(), ChangeGate.recording(line -> {}));
        Plans.files().run(dry);
        assertTrue(Components.notices(dry.layout(), dry.gate().recorded()).get(0).startsWith(
                "firewall: the TURN server needs 3479/udp, 3479/tcp, 5349/tcp"));
    }

    @Test
    void theSecretIsTheTurnComponentsOwnGeneratedWhileItIsOn() {
        assertFalse(Components.secrets(config()).contains(Secret.TURN_SHARED_SECRET));
        assertTrue(Components.secrets(config("turn.enabled", "true")).contains(Secret.TURN_SHARED_SECRET));
        assertTrue(Secret.TURN_SHARED_SECRET.optional());
    }

    @Test
    void aSecretFileThatIsNotOneTheAgentWritesStopsTheRunNamingIt() throws IOException {
        InstallConfig on = config("turn.enabled", "true", "turn.external_ip", "203.0.113.7");
        apply(on);
        Path file = root.resolve("data/matrix/secrets/turn_shared_secret");
        Files.writeString(file, "x\ninjected=1");
        PreconditionException e = assertThrows(PreconditionException.class, () -> apply(on));
        assertTrue(e.getMessage().startsWith("/data/matrix/secrets/turn_shared_secret: not a secret as matrix-install writes it"),
                e.getMessage());
        // Lost: a new one is generated (only the agent's own files hold it), even on an install in use.
        Files.delete(file);
        apply(on);
        assertTrue(read("/data/matrix/secrets/turn_shared_secret").matches("[A-Za-z0-9]{32}"));
    }

    @Test
    void notAnOpenRelay() throws IOException {
        apply(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7"));
        String conf = read("/data/matrix/turnserver.conf");
        for (String line : new String[] {"no-multicast-peers", "no-tcp-relay", "no-cli",
                "denied-peer-ip=127.0.0.0-127.255.255.255", "denied-peer-ip=10.0.0.0-10.255.255.255",
                "denied-peer-ip=172.16.0.0-172.31.255.255", "denied-peer-ip=192.168.0.0-192.168.255.255",
                "denied-peer-ip=169.254.0.0-169.254.255.255", "denied-peer-ip=100.64.0.0-100.127.255.255",
                "denied-peer-ip=::1", "denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}) {
            assertTrue(conf.contains("\n" + line + "\n"), line);
        }
        assertFalse(conf.contains("allow-loopback-peers") || conf.contains("allowed-peer-ip"), conf);
    }

    @Test
    void noTlsListenerWithoutACertificateTheAgentHolds() throws IOException {
        apply(config("turn.enabled", "true", "turn.external_ip", "203.0.113.7", "tls.mode", "nginx-certbot"));
        String conf = read("/data/matrix/turnserver.conf");
        assertTrue(conf.contains("\nno-tls\n") && !conf.contains("tls-listening-port"), conf);
        assertFalse(read("/data/matrix/files/homeserver.yaml").contains("turns:"));
        assertFalse(read("/data/matrix/docker-compose.yml").contains("/etc/coturn/tls"));
    }

    @Test
    void anAddressThatIsNotPublicIsNotTakenAsTheExternalOne() {
        // What the host resolves the domain to: a public IPv4 address is taken, anything else stops the run naming the key.
        assertEquals("203.0.113.7", TurnValues.choose("m.example.org", List.of("2001:db8::1", "203.0.113.7")));
        for (var addresses : List.of(List.<String>of(), List.of("127.0.1.1"),
                List.of("192.168.1.10", "203.0.113.7"), List.of("2001:db8::1"))) {
            PreconditionException e = assertThrows(PreconditionException.class, () -> TurnValues.choose("m.example.org", addresses));
            assertTrue(e.getMessage().contains("set turn.external_ip"), e.getMessage());
        }
        assertTrue(TurnValues.isPublic("203.0.113.7"));
        for (String address : new String[] {"127.0.0.1", "10.1.2.3", "172.17.0.1", "192.168.1.1", "169.254.1.1", "100.64.0.1"}) {
            assertFalse(TurnValues.isPublic(address), address);
        }
    }

    @Test
    void switchedOffItsFilesAreLeftoversAndItsPortsAreNotChecked() {
        InstallConfig off = config();
        Component turn = Components.disabled(off).stream()
                .filter(c -> c.name().equals("turn")).findFirst().orElseThrow();
        assertEquals(List.of("/data/matrix/turnserver.conf", "/data/matrix/secrets/turn_shared_secret",
                "/data/matrix/.matrix-install-coturn-loaded"), turn.leftovers(new Layout(off)).stream()
                .map(l -> l.path().toString()).toList());
        assertEquals("turn.enabled is false", turn.disabledBecause(off));
        InstallConfig on = config("turn.enabled", "true");
        assertEquals(List.of("3478/udp", "3478/tcp", "5349/tcp"), turn.ownPorts(on));
        assertEquals(List.of("3478/udp", "3478/tcp"), turn.ownPorts(config("turn.enabled", "true", "tls.mode", "nginx-certbot")));
    }

    @Test
    void relayRangeAndListenersAreChecked() {
        assertEquals("turn.relay_max_port", assertThrows(ConfigException.class,
                () -> config("turn.relay_min_port", "50000", "turn.relay_max_port", "49999")).key());
        assertEquals("turn.relay_min_port", assertThrows(ConfigException.class,
                () -> config("turn.relay_min_port", "3000", "turn.relay_max_port", "4000")).key());
        assertEquals("turn.external_ip", assertThrows(ConfigException.class,
                () -> config("turn.external_ip", "turn.example.org")).key());
        assertEquals("turn.user_lifetime", assertThrows(ConfigException.class,
                () -> config("turn.user_lifetime", "forever")).key());
    }
}
