package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.SshdExtension;
import io.matrixinstall.host.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --host and its options on the command line: on every command that touches a host, checked, and used for real. */
@Timeout(120)
class HostOptionsTest {
    static final int PORT = TestSshd.freePort();

    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(PORT);

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void everyCommandThatTouchesAHostTakesIt() {
        for (String command : List.of("up", "status", "start", "stop", "restart", "update", "refresh", "logs", "renew",
                "doctor", "uninstall")) {
            String usage = MatrixInstall.commandLine(command).getSubcommands().get(command).getUsageMessage();
            for (String option : List.of("--host=[USER@]HOST[:PORT]", "--identity=FILE", "--known-hosts=FILE",
                    "--accept-new-host-key")) {
                assertTrue(usage.contains(option), command + " lacks " + option);
            }
        }
        for (List<String> nested : List.of(List.of("user", "add"), List.of("user", "list"), List.of("user", "deactivate"),
                List.of("user", "reset-password"), List.of("db", "upgrade"), List.of("stats", "mau"))) {
            String usage = MatrixInstall.commandLine(nested.get(0)).getSubcommands().get(nested.get(0)).getSubcommands()
                    .get(nested.get(1)).getUsageMessage();
            assertTrue(usage.contains("--host=[USER@]HOST[:PORT]"), nested + " lacks --host");
        }
        assertTrue(!MatrixInstall.commandLine("render").getSubcommands().get("render").getUsageMessage().contains("--host"),
                "render writes a local tree only");
    }

    @Test
    void badValuesAreOneLineNamingTheOptionExitTwo() {
        CliRun spaced = run("status", "--host", "a b");
        assertEquals(2, spaced.exit());
        assertEquals("matrix-install: --host: expected [USER@]HOST[:PORT], e.g. root@203.0.113.5 or"
                + " admin@matrix.example.org:2222 (got 'a b')\n", spaced.err());
        CliRun portZero = run("up", "--host", "root@203.0.113.5:0", "--dry-run");
        assertEquals(2, portZero.exit());
        assertEquals("matrix-install: --host: port must be 1 to 65535 (got 0)\n", portZero.err());
        CliRun alone = run("stop", "--identity", "/nonexistent");
        assertEquals(2, alone.exit());
        assertEquals("matrix-install: --identity: only means something with --host\n", alone.err());
        CliRun noKey = run("status", "--host", "203.0.113.5", "--identity", dir.resolve("absent").toString());
        assertEquals(2, noKey.exit());
        assertEquals("matrix-install: --identity: no such file: " + dir.resolve("absent") + "\n", noKey.err());
    }

    @Test
    void anUnreachableHostIsExitOne() {
        CliRun run = run("status", "--host", "root@127.0.0.1:21197", "--identity", SSHD.sshd().clientKey.toString(),
                "--known-hosts", SSHD.sshd().knownHosts.toString());
        assertEquals(1, run.exit());
        assertEquals("matrix-install: cannot reach root@127.0.0.1:21197: connection refused\n", run.err());
    }

    @Test
    void aCommandReadsTheRemoteHostAndCountsItsRoundTrips() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Path state = dir.resolve("state");
        CliRun run = run("status", "--verbose", "--host", "root@127.0.0.1:" + PORT, "--identity", SSHD.sshd().clientKey.toString(),
                "--known-hosts", knownHosts.toString(), "--accept-new-host-key", "--state-dir", state.toString());
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertTrue(lines.get(0).startsWith("added ssh-ed25519 key SHA256:"), lines.get(0));
        assertEquals("matrix-install: nothing is installed on root@127.0.0.1:" + PORT + " (no " + state.resolve("matrix-install.yaml")
                + "); install with `matrix-install up --domain HOST --email ADDRESS`, or name the install with"
                + " --config/--domain (or --state-dir)", lines.get(2));
        // Said when the connection closes, just before the error handler's line.
        assertTrue(lines.get(1).matches("\\.\\.\\. root@127\\.0\\.0\\.1:" + PORT + ": \\d+ SSH round trips"), lines.get(1));
        assertEquals(SSHD.sshd().knownHostsLine(SSHD.sshd().hostKey), Files.readString(knownHosts));
    }

    /** `history --host`: the state directory read through the SSH host. */
    @Test
    void historyReadsTheRemoteStateDirectory() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("history.jsonl"), "{\"when\":\"2026-12-06T03:12:07Z\",\"command\":\"up\",\"result\":\"ok\"}\n"
                + "{\"when\":\"2026-12-06T04:00:00Z\",\"command\":\"refresh\",\"result\":\"ok\",\"detail\":\"no changes\"}\n");
        CliRun run = CliRun.withConsole("history", "--host", "root@127.0.0.1:" + PORT, "--identity", SSHD.sshd().clientKey.toString(),
                "--known-hosts", dir.resolve("known_hosts").toString(), "--accept-new-host-key", "--state-dir", state.toString(),
                "--command", "refresh");
        assertEquals(0, run.exit(), run.err());
        assertEquals("2026-12-06T04:00:00Z refresh ok: no changes\n", run.out());
    }
}
