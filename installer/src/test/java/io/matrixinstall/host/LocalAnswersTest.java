package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each in-process answer of a read-only command ({@link LocalAnswers}) beside what the program itself prints on this
 * machine: the same exit code and output, or no answer (the program runs).
 */
class LocalAnswersTest {
    @TempDir
    Path dir;

    private final LocalHost host = new LocalHost();

    /** What the program says: the same command without its answer. */
    private ExecResult program(Command command) {
        return host.exec(new Command(command.argv(), command.workingDirectory(), command.environment(), command.timeout(),
                command.secrets(), Optional.empty()));
    }

    private static ExecResult answer(Command command) {
        return answerOf(command).orElseThrow();
    }

    private void assertSame(Command command) {
        ExecResult program = program(command);
        ExecResult answer = answer(command);
        assertEquals(program.exitCode(), answer.exitCode(), command.display());
        assertEquals(program.stdout(), answer.stdout(), command.display());
    }

    /** An answer that says so, or none (the program runs). */
    record Fixed(boolean answers) implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            return answers ? Optional.of(new ExecResult(0, "answered in-process\n", "")) : Optional.empty();
        }
    }

    /** LocalHost answers in-process where it can, and starts the program where the answer is empty. */
    @Test
    void theLocalHostUsesAnAnswerAndRunsTheProgramWithoutOne() {
        Command fails = new Command(List.of("false"), Optional.empty(), Map.of(), java.time.Duration.ofSeconds(10));
        assertEquals(new ExecResult(0, "answered in-process\n", ""), host.exec(fails.answeredLocallyBy(new Fixed(true))));
        assertEquals(1, host.exec(fails.answeredLocallyBy(new Fixed(false))).exitCode());
    }

    @Test
    void theUserIdAndOsReleaseAreWhatIdAndCatSay() {
        assertSame(Commands.userId());
        assertSame(HostCommands.osRelease());
        assertEquals(host.exec(Commands.userId()).stdout(), program(Commands.userId()).stdout(), "LocalHost answers");
    }

    @Test
    void programsOnPathAreFoundAsWhichFindsThem() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path executable = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(bin.resolve("plain"), "not executable\n");
        Files.createDirectory(bin.resolve("adir"));
        Files.createSymbolicLink(bin.resolve("linked"), executable);
        Files.createSymbolicLink(bin.resolve("dangling"), bin.resolve("nothing"));
        for (String path : List.of(bin + ":/usr/bin:/bin", bin + ":", "", "/nonexistent:" + bin)) {
            for (List<String> programs : List.of(List.of("tool", "sh"), List.of("plain", "tool"), List.of("adir"),
                    List.of("linked", "dangling"), List.of("no-such-program-here"))) {
                assertSame(Commands.locate(programs).withEnvironment(Map.of("PATH", path)));
            }
        }
    }

    /** A name with a slash, or the working directory on PATH (an empty entry): which's own rules, so which runs. */
    @Test
    void aNameWithASlashOrTheWorkingDirectoryOnPathIsLeftToWhich() {
        Command command = Commands.locate(List.of("/bin/sh"));
        assertTrue(command.localAnswer().orElseThrow().answer(System.getenv()).isEmpty());
        assertEquals("/bin/sh\n", host.exec(command).stdout());
        for (String path : List.of("/usr/bin::/bin", ":/usr/bin")) {
            Command onPath = Commands.locate(List.of("sh")).withEnvironment(Map.of("PATH", path));
            assertTrue(answerOf(onPath).isEmpty(), path);
            assertEquals(program(onPath).stdout(), host.exec(onPath).stdout(), path);
        }
    }

    private static Optional<ExecResult> answerOf(Command command) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(command.environment());
        return command.localAnswer().orElseThrow().answer(environment);
    }

    @Test
    void theJarCopysIdentityIsWhatStatAndDdSay() throws Exception {
        Path copy = Files.write(dir.resolve("matrix-install.jar"), new byte[] {1, 2, 3});
        Path record = dir.resolve("matrix-install.jar.record");
        // no record yet, then a record, then times with and without nanoseconds
        assertSame(Commands.jarCopyIdentity(copy, record));
        Files.writeString(record, "sha256 abc\nsize 3\nvärde\n");
        assertSame(Commands.jarCopyIdentity(copy, record));
        Files.setLastModifiedTime(copy, FileTime.from(Instant.parse("2026-12-07T01:02:03.000000007Z")));
        Files.setLastModifiedTime(record, FileTime.from(Instant.parse("2026-12-07T01:02:03Z")));
        assertSame(Commands.jarCopyIdentity(copy, record));
        // a record larger than the 4 KiB read
        Files.writeString(record, "x".repeat(5000));
        assertSame(Commands.jarCopyIdentity(copy, record));
        // neither there
        assertSame(Commands.jarCopyIdentity(dir.resolve("absent.jar"), dir.resolve("absent.record")));
    }

    /** A link or a FIFO where the record goes: its stat line, and nothing read through it, as the script does. */
    @Test
    void aLinkOrAFifoAtTheRecordIsNeverReadThrough() throws Exception {
        Path copy = Files.write(dir.resolve("matrix-install.jar"), new byte[] {1});
        Path secret = Files.writeString(dir.resolve("secret"), "do not show\n");
        Path record = Files.createSymbolicLink(dir.resolve("matrix-install.jar.record"), secret);
        assertSame(Commands.jarCopyIdentity(copy, record));
        assertTrue(!answer(Commands.jarCopyIdentity(copy, record)).stdout().contains("do not show"));
        Files.delete(record);
        try (Fifo fifo = Fifo.plant(record, 0)) {
            assertSame(Commands.jarCopyIdentity(copy, record));
        }
        Files.delete(record);
        Files.createSymbolicLink(record.resolveSibling("x"), dir); // a link to a directory as the copy's name
        assertSame(Commands.jarCopyIdentity(record.resolveSibling("x"), record));
    }
}
