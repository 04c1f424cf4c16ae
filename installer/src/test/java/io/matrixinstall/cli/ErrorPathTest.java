package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command fails the same way, through the frame's one error path: one line on stderr and nothing on stdout,
 * exit 1 (or 2 for refused input), and the stack trace only with --verbose.
 */
@Timeout(120)
class ErrorPathTest {
    /** Nothing listens here (the CLI helper's port range). */
    static final String UNREACHABLE = "root@127.0.0.1:23397";

    @TempDir
    Path dir;

    /** Runs the CLI as main would, System.out and System.err captured (the console writes there). */
    private static CliRun run(List<String> args) {
        return CliRun.withConsole(args.toArray(String[]::new));
    }

    /** What each command needs besides the host to get as far as opening it. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "logs", List.of("synapse"),
            "restore", List.of("--from", "/nonexistent/backup"),
            "migrate", List.of("--from-dump", "/nonexistent/dump", "--signing-key", "/nonexistent/key", "--macaroon-secret", "s"),
            "user add", List.of("alice"),
            "user deactivate", List.of("bob"),
            "user reset-password", List.of("bob"),
            "token revoke", List.of("AbCd1234"),
            "db upgrade", List.of("--to", "17"));

    private static void assertOneLine(List<String> args, CliRun run, int exit, String line) {
        assertEquals(exit, run.exit(), args + "\n" + run);
        assertEquals("", run.out(), args.toString());
        assertEquals(line + "\n", run.err(), args.toString());
    }

    private static void assertTrace(List<String> args, CliRun run, int exit, String line) {
        assertEquals(exit, run.exit(), args + "\n" + run);
        assertEquals("", run.out(), args.toString());
        List<String> lines = run.err().lines().toList();
        assertEquals(line, lines.get(0), args.toString());
        assertTrue(lines.size() > 2 && lines.stream().anyMatch(l -> l.startsWith("\tat io.matrixinstall.")),
                args + ": no stack trace with --verbose:\n" + run.err());
    }

    @Test
    void everyCommandThatTouchesAHostFailsInOneLineAndTracesOnlyWithVerbose() throws Exception {
        Path identity = Files.writeString(dir.resolve("id"), "not used: the connection is refused first\n");
        List<String> host = List.of("--host", UNREACHABLE, "--identity", identity.toString(), "--known-hosts",
                dir.resolve("known_hosts").toString());
        String line = "matrix-install: cannot reach " + UNREACHABLE + ": connection refused";
        int commands = 0;
        for (var command : CommandOptionsTest.leaves().entrySet()) {
            if (!CommandOptionsTest.EXPECTED.get(command.getKey()).contains("host")) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of(command.getKey().split(" ")));
            args.addAll(REQUIRED.getOrDefault(command.getKey(), List.of()));
            args.addAll(host);
            assertOneLine(args, run(args), 1, line);
            args.add("--verbose");
            assertTrace(args, run(args), 1, line);
            commands++;
        }
        assertEquals(24, commands); // history made it 24
    }

    @Test
    void theCommandsWithoutAHostFailTheSameWay() {
        String line = "matrix-install: email: not an e-mail address (got 'admin')";
        for (List<String> command : List.of(List.of("render", "--root", dir.resolve("tree").toString()), List.of("config", "check"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--domain", "matrix.example.org", "--email", "admin"));
            assertOneLine(args, run(args), 2, line);
            args.add("--verbose");
            assertTrace(args, run(args), 2, line);
        }
        assertTrue(Files.notExists(dir.resolve("tree")), "nothing written on bad input");
    }

    /** A command that finds the install only in the state directory says so, and names no option it lacks. */
    @Test
    void nothingInstalledNamesTheStateDirectory() {
        Path state = dir.resolve("state");
        List<String> args = List.of("backup", "--state-dir", state.toString(), "--run-dir", dir.resolve("run").toString());
        String line = "matrix-install: nothing is installed on localhost (no " + state.resolve("matrix-install.yaml")
                + "); install with `matrix-install up --domain HOST --email ADDRESS`, or give the install's --state-dir";
        assertOneLine(args, run(args), 2, line);
    }
}
