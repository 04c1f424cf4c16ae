package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What only an SSH host has: host keys, log-in, an unreachable or dropped connection, round trips, a lock across agents. */
@Timeout(120)
class SshHostTest {
    static final int PORT = TestSshd.freePort();
    static final int NOTHING_LISTENS = 21198;

    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(PORT);

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        children.forEach(Process::destroyForcibly);
    }

    private SshHost connect(SshSettings settings, List<String> notices) {
        SshHost host = SshHost.connect(SSHD.sshd().target(), settings, notices::add);
        opened.add(host);
        return host;
    }

    @Test
    @Timeout(180)
    void inputWaitsForAHostThatPausesLongerThanSshjsThirtySeconds() throws Exception {
        // An image push: docker load on a busy host stops reading while it unpacks a big layer. SSHJ's write gave up
        // after 30 s without window space and the program got its input cut short.
        SshHost host = connect(with(SSHD.sshd().knownHosts, false), new ArrayList<>());
        byte[] input = new byte[8 << 20];
        ExecResult counted = host.execWithInput(new Command(List.of("sh", "-c", "sleep 35; wc -c"), Optional.empty(), Map.of(),
                Duration.ofMinutes(2)), new ByteArrayInputStream(input));
        assertEquals(Integer.toString(input.length), counted.stdout().strip(), counted.toString());
    }

    /**
     * The other side of that wait: a connection that dies while a write waits for the host to read on (SSHJ wakes such a
     * writer only when the window grows) fails the write at once, not after the whole window wait (ten minutes).
     */
    @Test
    @Timeout(60)
    void aWriteWaitingForTheHostEndsWhenTheConnectionDies() throws Exception {
        SshHost host = connect(with(SSHD.sshd().knownHosts, false), new ArrayList<>());
        opened.add(host);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(3000); // the writer has filled the window by now: sleep reads nothing
                SSHD.sshd().killSessions();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        long start = System.nanoTime();
        HostException lost = assertThrows(HostException.class, () -> host.execWithInput(new Command(List.of("sleep", "50"),
                Optional.empty(), Map.of(), Duration.ofMinutes(2)), new ByteArrayInputStream(new byte[64 << 20])));
        killer.join();
        assertTrue(lost.getMessage().startsWith("lost the SSH connection to "), lost.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "ended when the connection died");
    }

    /** An in-process answer is the local host's alone: over SSH the program runs on the host. */
    @Test
    void aCommandsLocalAnswerIsNeverUsedOverSsh() {
        SshHost host = connect(with(SSHD.sshd().knownHosts, false), new ArrayList<>());
        opened.add(host);
        Command fails = new Command(List.of("false"), Optional.empty(), Map.of(), Duration.ofSeconds(10))
                .answeredLocallyBy(new LocalAnswersTest.Fixed(true));
        assertEquals(1, host.exec(fails).exitCode());
    }

    private SshSettings with(Path knownHosts, boolean acceptNew) {
        return new SshSettings(Optional.of(SSHD.sshd().clientKey), knownHosts, acceptNew, dir.resolve("run"));
    }

    private static String fingerprint(Path publicKey) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return line.split(" ")[1]; // "256 SHA256:… comment (ED25519)"
    }

    private long acceptedLogins() throws IOException {
        return SSHD.sshd().log().lines().filter(line -> line.contains("Accepted publickey")).count();
    }

    /** Connections that ended before authentication ("Connection closed by …", "Disconnected from …" [preauth]). */
    private long preauthEnds() throws IOException {
        return SSHD.sshd().log().lines().filter(line -> line.endsWith("[preauth]") && (line.contains("Connection closed by")
                || line.contains("Disconnected from") || line.contains("Connection reset by"))).count();
    }

    /** Polls {@code condition} for up to 20 s. */
    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void anUnknownHostIsRefusedWithItsFingerprintBeforeAnythingRuns() throws Exception {
        long before = acceptedLogins();
        long ends = preauthEnds();
        Path knownHosts = dir.resolve("empty_known_hosts");
        HostException refused = assertThrows(HostException.class, () -> connect(with(knownHosts, false), new ArrayList<>()));
        String expected = "root@127.0.0.1:" + PORT + ": unknown host key for [127.0.0.1]:" + PORT + ": ssh-ed25519 key "
                + fingerprint(Path.of(SSHD.sshd().hostKey + ".pub")) + " is not in " + knownHosts
                + "; if that is the host's key, run again with --accept-new-host-key to add it";
        assertEquals(expected, refused.getMessage());
        assertFalse(Files.exists(knownHosts), "nothing was added");
        // sshd logs the refused connection's end: a login on it would have been logged before that line.
        awaitTrue(() -> preauthEnds() > ends, "sshd logged the end of the refused connection");
        assertEquals(before, acceptedLogins(), "the refused client never logged in, so ran nothing");
    }

    @Test
    void acceptNewAddsTheKeyAndAHashedFileStillMatches() throws Exception {
        Path knownHosts = dir.resolve("ssh/known_hosts");
        List<String> notices = new ArrayList<>();
        SshHost first = connect(with(knownHosts, true), notices);
        assertEquals("ok\n", first.exec(new Command(List.of("echo", "ok"), Optional.empty(), Map.of(), Duration.ofSeconds(20))).stdout());
        assertEquals(List.of("added ssh-ed25519 key " + fingerprint(Path.of(SSHD.sshd().hostKey + ".pub")) + " for [127.0.0.1]:"
                + PORT + " to " + knownHosts), notices);
        assertEquals(SSHD.sshd().knownHostsLine(SSHD.sshd().hostKey), Files.readString(knownHosts));
        notices.clear();
        connect(with(knownHosts, false), notices);
        assertEquals(List.of(), notices, "known now: nothing added");
        TestSshd.run("ssh-keygen", "-q", "-H", "-f", knownHosts.toString());
        assertTrue(Files.readString(knownHosts).startsWith("|1|"), "the file is hashed");
        connect(with(knownHosts, false), notices);
        assertEquals(List.of(), notices);
    }

    @Test
    void aChangedKeyIsAlwaysRefused() throws Exception {
        Path other = dir.resolve("other_host_key");
        TestSshd.keygen(other, "ed25519");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), SSHD.sshd().knownHostsLine(other));
        for (boolean acceptNew : List.of(false, true)) {
            HostException refused = assertThrows(HostException.class, () -> connect(with(knownHosts, acceptNew), new ArrayList<>()));
            assertTrue(refused.getMessage().startsWith("root@127.0.0.1:" + PORT + ": HOST KEY CHANGED for [127.0.0.1]:" + PORT
                    + ": it now offers ssh-ed25519 key " + fingerprint(Path.of(SSHD.sshd().hostKey + ".pub")) + ", not the key "
                    + knownHosts + " has for it; refusing to connect"), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"));
        }
        assertEquals(SSHD.sshd().knownHostsLine(other), Files.readString(knownHosts), "the file is left as it was");
    }

    @Test
    void aKeyTheHostRefusesIsOneLine() throws Exception {
        Path wrong = dir.resolve("id_wrong");
        TestSshd.keygen(wrong, "ed25519");
        SshSettings settings = new SshSettings(Optional.of(wrong), SSHD.sshd().knownHosts, false, dir.resolve("run"));
        HostException refused = assertThrows(HostException.class, () -> connect(settings, new ArrayList<>()));
        assertEquals("cannot log in to root@127.0.0.1:" + PORT + ": the host refused the key " + wrong + " (add its public"
                + " key to ~root/.ssh/authorized_keys there, or pick another with --identity FILE)", refused.getMessage());
    }

    @Test
    void aKeyWithAPassphraseIsOneLineSayingSo() throws Exception {
        Path locked = dir.resolve("id_locked");
        TestSshd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", locked.toString());
        SshSettings settings = new SshSettings(Optional.of(locked), SSHD.sshd().knownHosts, false, dir.resolve("run"));
        // Authorized, so the host accepts its public half and SSHJ needs the private one.
        Path authorized = SSHD.sshd().dir.resolve("authorized_keys");
        String before = Files.readString(authorized);
        HostException refused;
        try {
            Files.writeString(authorized, before + Files.readString(Path.of(locked + ".pub")));
            refused = assertThrows(HostException.class, () -> connect(settings, new ArrayList<>()));
        } finally {
            Files.writeString(authorized, before);
        }
        assertEquals("cannot log in to root@127.0.0.1:" + PORT + ": the key " + locked + " is protected by a passphrase,"
                + " which matrix-install cannot ask for (and it uses no ssh-agent): give a key without one with --identity"
                + " FILE", refused.getMessage());
    }

    @Test
    void anUnreachableHostIsOneLine() {
        HostException refused = assertThrows(HostException.class, () -> SshHost.connect(
                new SshTarget("root", "127.0.0.1", NOTHING_LISTENS), SSHD.sshd().settings(dir), line -> {}));
        assertEquals("cannot reach root@127.0.0.1:" + NOTHING_LISTENS + ": connection refused", refused.getMessage());
    }

    @Test
    void aDroppedConnectionFailsTheCommandWithOneLine() throws Exception {
        SshHost host = SSHD.sshd().connect(dir);
        opened.add(host);
        Command sleep = new Command(List.of("sleep", "30"), Optional.empty(), Map.of(), Duration.ofSeconds(60));
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(1500);
                SSHD.sshd().killSessions();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        long start = System.nanoTime();
        HostException lost = assertThrows(HostException.class, () -> host.exec(sleep));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "noticed at once, not after the command");
        assertTrue(lost.getMessage().startsWith("lost the SSH connection to root@127.0.0.1:" + PORT), lost.getMessage());
        HostException after = assertThrows(HostException.class, () -> host.exec(sleep));
        assertTrue(after.getMessage().startsWith("lost the SSH connection to root@127.0.0.1:" + PORT), after.getMessage());
        killer.join();
    }

    @Test
    void aWriteCutOffByADroppedConnectionLeavesTheWholeOldFileAndTheNextWriteRepairs() throws Exception {
        Path target = Files.writeString(dir.resolve("homeserver.yaml"), "old and whole\n");
        Path staged = dir.resolve(".homeserver.yaml.matrix-install.d/f");
        SshHost host = SSHD.sshd().connect(dir.resolve("run"));
        opened.add(host);
        // The guard itself: input shorter than announced is never renamed over the target.
        ExecResult cut = host.execWithInput(HostCommands.remoteWriteAtomically(target, "0:0", 0644, 100),
                new java.io.ByteArrayInputStream(new byte[50]));
        assertEquals(1, cut.exitCode());
        assertEquals("received 50 of 100 bytes: the input ended early", cut.stderr().strip());
        assertEquals("old and whole\n", Files.readString(target));
        // For real: the connection dies while the content streams.
        byte[] large = new byte[96 << 20];
        Thread killer = new Thread(() -> {
            try {
                while (!Files.exists(staged) || Files.size(staged) == 0) {
                    Thread.sleep(2);
                }
                SSHD.sshd().killSessions();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        HostException lost = assertThrows(HostException.class,
                () -> host.writeAtomically(target, large, Ownership.ROOT, 0644));
        killer.join();
        assertTrue(lost.getMessage().startsWith("lost the SSH connection to "), lost.getMessage());
        // The orphaned remote script (its command line names the target) has ended: had it renamed the cut file, it
        // would have done so before exiting.
        awaitTrue(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
                .filter(line -> line.contains(target.toString())).isPresent()), "the orphaned remote write ended");
        assertEquals("old and whole\n", Files.readString(target));
        SshHost again = SSHD.sshd().connect(dir.resolve("run"));
        opened.add(again);
        again.writeAtomically(target, "new\n".getBytes(StandardCharsets.UTF_8), Ownership.ROOT, 0644);
        assertEquals("new\n", Files.readString(target));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(), listing.map(p -> p.getFileName().toString()).filter(n -> n.contains("matrix-install"))
                    .toList(), "the cut write's leftover is gone");
        }
    }

    @Test
    void readsTheStateOfManyFilesInOneRoundTrip() throws IOException {
        SshHost host = SSHD.sshd().connect(dir);
        opened.add(host);
        List<Path> paths = IntStream.range(0, 40).mapToObj(i -> dir.resolve("f" + i)).toList();
        for (Path p : paths.subList(0, 20)) {
            Files.writeString(p, "x");
        }
        long before = host.roundTrips();
        var states = host.statAll(paths);
        assertEquals(before + 1, host.roundTrips());
        assertEquals(20, states.values().stream().filter(Optional::isPresent).count());
        assertEquals(40, states.size());
        var contents = host.readAll(paths);
        assertEquals(before + 2, host.roundTrips(), "and their contents in one more");
        assertEquals(20, contents.values().stream().filter(c -> c.map(b -> new String(b).equals("x")).orElse(false)).count());
        host.osRelease();
        host.osRelease();
        assertEquals(before + 3, host.roundTrips(), "os-release is read once per connection");
    }

    @Test
    void aLocalAndARemoteAgentExcludeEachOther() throws Exception {
        Path runDir = dir.resolve("run");
        SshHost remote = connect(with(SSHD.sshd().knownHosts, false), new ArrayList<>());
        LocalHost local = new LocalHost(runDir);
        try (HostLock held = local.lock("up", Duration.ZERO, line -> {})) {
            HostBusyException busy = assertThrows(HostBusyException.class, () -> remote.lock("renew", Duration.ZERO, l -> {}));
            assertEquals(held.holder(), busy.holder());
            assertEquals("another matrix-install run holds the host lock " + runDir.resolve("lock") + " on root@127.0.0.1:"
                    + PORT + " (" + held.holder() + "); nothing was changed", busy.getMessage());
        }
        try (HostLock held = remote.lock("renew", Duration.ZERO, line -> {})) {
            assertTrue(held.holder().matches("pid \\d+, renew, since \\S+Z, over SSH from .+ \\(pid "
                    + ProcessHandle.current().pid() + "\\)"), held.holder());
            HostBusyException busy = assertThrows(HostBusyException.class, () -> local.lock("up", Duration.ZERO, l -> {}));
            assertEquals(held.holder(), busy.holder());
        }
    }

    @Test
    void aKilledRemoteAgentLeavesTheLockFree() throws Exception {
        Path runDir = dir.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SshLockHolder.class.getName(),
                Integer.toString(PORT), SSHD.sshd().clientKey.toString(), SSHD.sshd().knownHosts.toString(), runDir.toString())
                .redirectErrorStream(true).start();
        children.add(agent);
        String line = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("locked pid "), "the other agent took the lock: " + line);
        SshHost host = connect(with(SSHD.sshd().knownHosts, false), new ArrayList<>());
        assertThrows(HostBusyException.class, () -> host.lock("up", Duration.ZERO, l -> {}));
        agent.destroyForcibly().waitFor();
        try (HostLock lock = host.lock("up", Duration.ofSeconds(20), l -> {})) {
            assertTrue(lock.holder().contains(", up, "));
        }
    }
}
