package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The user and stats commands refuse bad input in one line, exit 2, before touching the server. */
class UsersCliTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    /** Runs a command against an install recorded in {@code dir} (these commands find it only there). */
    private Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = MatrixInstall.commandLine(args);
        commandLine.setErr(new PrintWriter(err, true));
        try {
            Files.writeString(dir.resolve("matrix-install.yaml"), "domain: \"matrix.example.org\"\nemail: \"a@example.org\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--state-dir", dir.toString()}, 0, all, args.length, 2);
        return new Run(commandLine.execute(all), err.toString());
    }

    @Test
    void aBadUserNameIsOneLine() {
        Run run = run("user", "add", "Alice", "--password-file", "/nonexistent");
        assertEquals(2, run.exit(), run.err());
        assertEquals("matrix-install: NAME: a user name may only hold a-z, 0-9 and . _ = - / + (got 'Alice')\n", run.err());
        assertEquals(2, run("user", "deactivate", "@bob:elsewhere.org").exit());
        assertEquals(2, run("up", "--admin", "_bridge", "--dry-run").exit());
    }

    /** No terminal here (as under cron or a pipe) and no file: one line naming the option, nothing asked. */
    @Test
    void noTerminalAndNoPasswordFileIsOneClearLine() {
        Run run = run("user", "add", "alice", "--admin");
        assertEquals(2, run.exit(), run.err());
        assertEquals("matrix-install: no terminal to ask for the password of @alice:matrix.example.org: give"
                + " --password-file FILE\n", run.err());
        Run up = run("up", "--admin", "alice", "--dry-run");
        assertEquals(2, up.exit(), up.err());
        assertEquals("matrix-install: no terminal to ask for the password of @alice:matrix.example.org: give"
                + " --admin-password-file FILE\n", up.err());
    }

    @Test
    void aPasswordFileHoldsOneLine() throws Exception {
        Path twoLines = Files.writeString(dir.resolve("two"), "secret\nmore\n");
        Run run = run("user", "reset-password", "alice", "--password-file", twoLines.toString());
        assertEquals(2, run.exit(), run.err());
        assertEquals("matrix-install: --password-file: " + twoLines + " holds more than one line; put only the password"
                + " in it\n", run.err());
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals(2, run("user", "add", "alice", "--password-file", empty.toString()).exit());
        assertEquals("s3cret word", PasswordInput.read(Files.writeString(dir.resolve("one"), "s3cret word\r\n"), "--x", "a"));
        assertEquals("no-newline", PasswordInput.read(Files.writeString(dir.resolve("raw"), "no-newline"), "--x", "a"));
    }

    @Test
    void aBadMonthIsOneLine() {
        Run run = run("stats", "mau", "--month", "2024-13");
        assertEquals(2, run.exit(), run.err());
        assertEquals("matrix-install: --month: expected YYYY-MM, e.g. 2026-11 (got '2024-13')\n", run.err());
    }
}
