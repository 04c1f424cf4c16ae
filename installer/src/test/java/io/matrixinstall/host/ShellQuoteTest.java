package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote command line: quoted words survive a real shell unchanged, and the wrapper does what SshHost relies on. */
class ShellQuoteTest {
    private static final List<String> NASTY = List.of("plain", "", "two words", "it's", "\"double\"", "$HOME", "`id`",
            "$(id)", "a\\b", "new\nline", "tab\there", "*", "~", "-n", "'", "'';", "ünïcode", "a=b", "#comment", "!x");

    @TempDir
    Path dir;

    /** Runs {@code line} as sshd would, through a login shell's -c, with {@code stdin}. */
    private static String[] shell(String shell, String line, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(shell, "-c", line).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {Integer.toString(p.waitFor()), out, err};
    }

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("docker", ShellQuote.quote("docker"));
        assertEquals("/data/matrix/docker-compose.yml", ShellQuote.quote("/data/matrix/docker-compose.yml"));
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("'two words'", ShellQuote.quote("two words"));
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("'$HOME'", ShellQuote.quote("$HOME"));
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("nul\0"));
    }

    @Test
    void everyArgumentArrivesAsOneUnchangedWord() throws Exception {
        for (String shell : List.of("sh", "bash")) {
            List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
            argv.addAll(NASTY);
            String[] result = shell(shell, ShellQuote.join(argv), "");
            assertEquals("0", result[0], result[2]);
            assertEquals(String.join("\0", NASTY) + "\0", result[1], shell);
        }
    }

    @Test
    void theWrapperPassesEnvironmentOnStdinDirectoryAndArgv() throws Exception {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "printf '%s|%s|%s\\n' \"$SECRET\" \"$OTHER\" \"$(pwd)\"; printf '%s\\0' \"$@\"; cat", "x"));
        argv.addAll(NASTY);
        Command command = new Command(argv, Optional.of(dir), Map.of("SECRET", "p4ss 'word' $x", "OTHER", "2"), Duration.ofSeconds(10));
        String line = HostCommands.remoteLine(command, false, null, "", 0);
        assertTrue(!line.contains("p4ss"), "no environment value in the command line: " + line);
        String header = new String(HostCommands.remoteEnvironment(command), StandardCharsets.UTF_8);
        assertEquals("OTHER=2\nSECRET=p4ss 'word' $x\n", header);
        String[] result = shell("bash", line, header + "rest of stdin");
        assertEquals("0", result[0], result[2]);
        assertEquals("p4ss 'word' $x|2|" + dir + "\n" + String.join("\0", NASTY) + "\0rest of stdin", result[1]);
    }

    @Test
    void theWrapperMarksAMissingProgramAndCreatesTheOutputFileFirst() throws Exception {
        Command missing = new Command(List.of("matrix-install-no-such-program"), Optional.empty(), Map.of(), Duration.ofSeconds(5));
        String[] result = shell("sh", HostCommands.remoteLine(missing, false, null, "", 0), "");
        assertEquals("127", result[0]);
        assertEquals(HostCommands.REMOTE_MARK + "matrix-install-no-such-program: not installed\n", result[2]);
        Path dump = dir.resolve("a dump");
        Command echo = new Command(List.of("printf", "data"), Optional.empty(), Map.of(), Duration.ofSeconds(5));
        result = shell("sh", HostCommands.remoteLine(echo, false, dump, "991:991", 0640), "");
        assertEquals("0", result[0], result[2]);
        assertEquals("data", Files.readString(dump));
        assertEquals(991, Files.getAttribute(dump, "unix:uid"));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)));
    }

    @Test
    void aUserOtherThanRootGoesThroughSudoThatNeverAsks() {
        Command id = new Command(List.of("id", "-u"), Optional.empty(), Map.of(), Duration.ofSeconds(5));
        assertTrue(HostCommands.remoteLine(id, true, null, "", 0).startsWith("sudo -n -- sh -c 'd=$1 "));
        assertTrue(HostCommands.remoteLine(id, false, null, "", 0).startsWith("sh -c 'd=$1 "));
        assertTrue(HostCommands.remoteLine(id, true, null, "", 0).endsWith(" matrix-install '' 0 '' '' '' id -u"));
        assertThrows(IllegalArgumentException.class, () -> HostCommands.remoteEnvironment(new Command(List.of("x"),
                Optional.empty(), Map.of("A", "two\nlines"), Duration.ofSeconds(1))));
    }
}
