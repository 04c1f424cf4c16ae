package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host lock between real processes: fcntl locks belong to a process, so the other holder is a second
 * JVM (LockHolder), and a holder killed with SIGKILL must leave the lock free.
 */
class LocalHostLockTest {
    @TempDir
    Path runDir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    /** Starts LockHolder in another JVM and returns once it holds the lock. */
    private Process holder(String command) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), runDir.toString(), command).redirectErrorStream(true).start();
        children.add(process);
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("locked pid " + process.pid() + ", " + command + ", since "),
                "the child took the lock: " + line);
        return process;
    }

    @Test
    void aSecondProcessIsRefusedAtOnceNamingTheHolder() throws IOException {
        Process child = holder("up");
        HostBusyException busy = assertThrows(HostBusyException.class,
                () -> new LocalHost(runDir).lock("renew", Duration.ZERO, line -> {}));
        assertEquals("another matrix-install run holds the host lock " + runDir.resolve("lock") + " (pid " + child.pid()
                + ", up, since " + busy.holder().substring(busy.holder().indexOf("since ") + 6) + "); nothing was changed",
                busy.getMessage());
        assertTrue(busy.holder().matches("pid " + child.pid() + ", up, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                busy.holder());
    }

    @Test
    void aWaitingProcessGetsTheLockWhenTheHolderFinishes() throws Exception {
        Process child = holder("up");
        List<String> said = new ArrayList<>();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1000);
                child.getOutputStream().close(); // the holder finishes its run
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        long start = System.nanoTime();
        try (HostLock lock = new LocalHost(runDir).lock("renew", Duration.ofSeconds(30), said::add)) {
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900), "it waited for the holder");
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.get(0).startsWith("waiting up to 30 s for the host lock " + runDir.resolve("lock")
                    + ", held by pid " + child.pid() + ", up, since "), said.get(0));
            assertTrue(Files.readString(runDir.resolve("lock")).startsWith("pid " + ProcessHandle.current().pid() + ", renew, "));
        }
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void aBoundedWaitEndsNamingTheHolder() throws IOException {
        Process child = holder("up --dry-run");
        List<String> said = new ArrayList<>();
        long start = System.nanoTime();
        HostBusyException busy = assertThrows(HostBusyException.class,
                () -> new LocalHost(runDir).lock("up", Duration.ofSeconds(1), said::add));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000));
        assertTrue(busy.holder().startsWith("pid " + child.pid() + ", up --dry-run, since "), busy.holder());
        assertEquals(1, said.size());
    }

    @Test
    void aLockLeftByAKilledHolderIsTakenOver() throws Exception {
        Process child = holder("up");
        Path scratch = runDir.resolve("scratch/synapse-config-check");
        Files.createDirectories(scratch.resolve("media_store"));
        Files.writeString(scratch.resolve("homeserver.yaml"), "staged by the killed run\n");
        new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        // The stale description is still in the file; the OS lock is gone with its process.
        assertTrue(Files.readString(runDir.resolve("lock")).startsWith("pid " + child.pid()));
        try (HostLock lock = new LocalHost(runDir).lock("up", Duration.ZERO, line -> {})) {
            assertTrue(lock.holder().startsWith("pid " + ProcessHandle.current().pid() + ", up, since "));
            assertEquals(lock.holder() + "\n", Files.readString(runDir.resolve("lock")));
            assertFalse(Files.exists(runDir.resolve("scratch")), "what the killed holder staged is cleared");
        }
        assertEquals("", Files.readString(runDir.resolve("lock")), "a released lock names nobody");
    }

    @Test
    void oneProcessCannotTakeItTwiceAndTheScratchSpaceNeedsIt() {
        LocalHost host = new LocalHost(runDir);
        assertThrows(IllegalStateException.class, () -> host.scratchDirectory("synapse-config-check"));
        try (HostLock lock = host.lock("up", Duration.ZERO, line -> {})) {
            assertThrows(HostBusyException.class, () -> new LocalHost(runDir).lock("up", Duration.ZERO, line -> {}));
            Path scratch = host.scratchDirectory("synapse-config-check");
            assertEquals(runDir.resolve("scratch/synapse-config-check"), scratch);
            assertEquals(0700, host.stat(scratch).orElseThrow().mode());
            host.writeAtomically(scratch.resolve("homeserver.yaml"), new byte[] {1}, currentOwner(), 0600);
            host.removeScratchDirectory("synapse-config-check");
            assertFalse(Files.exists(scratch));
        }
        try (HostLock again = new LocalHost(runDir).lock("up", Duration.ZERO, line -> {})) {
            assertTrue(again.holder().contains(", up, "));
        }
    }

    private Ownership currentOwner() {
        try {
            return new Ownership((Integer) Files.getAttribute(runDir, "unix:uid"), (Integer) Files.getAttribute(runDir, "unix:gid"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
