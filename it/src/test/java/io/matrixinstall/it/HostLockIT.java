package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The host lock and crash leftovers on the real engine: two `up` runs started together on a fresh install act
 * one after the other (one acts, the other waits and finds nothing to do; a third that will not wait is told
 * who holds the lock), and an agent killed with SIGKILL during Synapse's config check leaves no one-off
 * container, no scratch and no temp file, and the next run succeeds. Both agents share one lock directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostLockIT {
    static final String PROJECT = "mi-e-lock";
    static final int SYNAPSE_PORT = 18508;
    static final String ONE_OFF = "label=io.matrixinstall.one-off=synapse-config-check";
    static Agent agent;
    static Path tree;

    /** `up` with the test's settings (and its own host lock), then {@code extra}. */
    static List<String> argv(String... extra) {
        List<String> args = agent.withFlags("up", "--tls", "none", "--pull", "never", "--set", "refresh.schedule=off",
                "--timeout", "240");
        args.addAll(List.of(extra));
        return args;
    }

    /** An agent running in the background whose output lines can be watched as they come. */
    static final class Background {
        final Process process;
        final List<String> out = new CopyOnWriteArrayList<>();
        final List<String> err = new CopyOnWriteArrayList<>();
        private final Thread[] readers;

        Background(List<String> args) throws IOException {
            ProcessBuilder builder = agent.process(args);
            process = builder.start();
            process.getOutputStream().close();
            readers = new Thread[] {reader(process.getInputStream(), out), reader(process.getErrorStream(), err)};
        }

        private static Thread reader(InputStream in, List<String> lines) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            thread.start();
            return thread;
        }

        boolean awaitErr(Predicate<String> wanted, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (err.stream().anyMatch(wanted)) {
                    return true;
                }
                if (!process.isAlive()) {
                    return err.stream().anyMatch(wanted);
                }
                Thread.sleep(50);
            }
            return false;
        }

        int finish(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("agent did not finish within " + seconds + " s: " + this);
            }
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            return process.exitValue();
        }

        @Override
        public String toString() {
            return "pid " + process.pid() + "\nstdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
        }
    }

    static int health() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + SYNAPSE_PORT + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static List<String> lines(String... dockerArgs) {
        return TestEngine.docker(dockerArgs).assertOk().stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** The agent's name for this machine in a one-off's owner label (host name and boot id, as OneOffOwner reads them). */
    static String machine() throws IOException {
        return (Files.readString(Path.of("/proc/sys/kernel/hostname")).strip() + ":"
                + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()).replace("/", "_");
    }

    /** Temp files a write leaves when killed, and the old in-tree scratch directory, anywhere in the install. */
    static List<Path> leftovers() throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".matrix-install.tmp")
                    || p.getFileName().toString().equals(".config-check")).toList();
        }
    }

    @BeforeAll
    static void tree() throws IOException {
        agent = Agent.install(PROJECT, "matrix-install-lock-it").ports(SYNAPSE_PORT, 18580).ownLockFor(command -> true);
        tree = agent.tree();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    @Test
    @Order(1)
    void twoAgentsStartedTogetherOnAFreshHostActOneAfterTheOther() throws Exception {
        Background first = new Background(argv("--wait", "300"));
        Background second = new Background(argv("--wait", "300"));
        // Whichever lost the race says it waits, naming the other.
        Predicate<String> waiting = line -> line.startsWith("... waiting up to 300 s for the host lock " + tree + "/run/lock"
                + ", held by pid ");
        long waitStart = System.nanoTime();
        while (first.err.stream().noneMatch(waiting) && second.err.stream().noneMatch(waiting)) {
            assertTrue(System.nanoTime() - waitStart < TimeUnit.SECONDS.toNanos(60), "nobody waits:\n" + first + "\n" + second);
            Thread.sleep(50);
        }
        Background waiter = first.err.stream().anyMatch(waiting) ? first : second;
        Background actor = waiter == first ? second : first;
        assertTrue(waiter.err.stream().anyMatch(line -> line.contains("held by pid " + actor.process.pid() + ", up, since ")),
                waiter.toString());

        // A third agent that will not wait is told at once who holds the lock, and changes nothing.
        long start = System.nanoTime();
        Run impatient = agent.run(argv("--wait", "0"));
        assertEquals(1, impatient.exitCode(), impatient.toString());
        assertTrue(impatient.stderr().startsWith("matrix-install: another matrix-install run holds the host lock "
                + tree + "/run/lock (pid " + actor.process.pid() + ", up, since "), impatient.toString());
        assertTrue(impatient.stderr().strip().endsWith("); nothing was changed; run again when it has finished,"
                + " or wait for it with --wait SECONDS"), impatient.toString());
        assertEquals(1, impatient.stderr().strip().lines().count(), impatient.toString());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "--wait 0 does not wait");

        assertEquals(0, actor.finish(400), actor.toString());
        assertEquals(0, waiter.finish(400), waiter.toString());
        assertTrue(actor.out.stream().anyMatch(line -> line.startsWith("start matrix stack")), actor.toString());
        assertEquals("no changes", waiter.out.get(0), waiter.toString());

        assertEquals(200, health());
        assertEquals(1, lines("ps", "-a", "-q", "--filter", "label=com.docker.compose.project=" + PROJECT,
                "--filter", "label=com.docker.compose.service=db").size());
        assertEquals(1, lines("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + PROJECT).size());
        assertEquals(List.of(), lines("ps", "-a", "-q", "--filter", ONE_OFF));
        assertEquals(List.of(), leftovers());
    }

    @Test
    @Order(2)
    void anAgentKilledDuringTheConfigCheckLeavesNothingBehindAndTheNextRunSucceeds() throws Exception {
        Path homeserver = tree.resolve("data/matrix/files/homeserver.yaml");
        String installed = Files.readString(homeserver);
        Path extra = Files.writeString(tree.resolve("extra.yaml"), "require_auth_for_profile_requests: true\n");
        Background killed = new Background(argv("--set", "synapse.extra_config=" + extra));
        assertTrue(killed.awaitErr(line -> line.startsWith("... checking the new homeserver.yaml"), 120), killed.toString());
        // Kill it while the one-off check container runs (not before it exists).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines("ps", "-q", "--filter", ONE_OFF, "--filter", "status=running").isEmpty()) {
            assertTrue(System.nanoTime() < deadline && killed.process.isAlive(), "no running check container: " + killed);
            Thread.sleep(20);
        }
        assertTrue(Files.isDirectory(tree.resolve("run/scratch/synapse-config-check")), "staged outside the install");
        killed.process.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
        assertEquals(137, killed.finish(30));

        // The engine removes the check container by itself once it exits.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!lines("ps", "-a", "-q", "--filter", ONE_OFF).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the one-off container is still there");
            Thread.sleep(250);
        }
        assertEquals(installed, Files.readString(homeserver), "nothing was applied before the check passed");
        assertEquals(List.of(), leftovers());

        Run again = agent.run(argv("--set", "synapse.extra_config=" + extra, "--wait", "0"));
        again.assertOk(); // --wait 0: the killed agent's lock died with it
        assertTrue(Files.readString(homeserver).contains("require_auth_for_profile_requests: true"), again.toString());
        assertEquals(200, health());
        assertEquals(List.of(), lines("ps", "-a", "-q", "--filter", ONE_OFF));
        assertEquals(List.of(), leftovers());
        try (Stream<Path> run = Files.list(tree.resolve("run"))) {
            assertEquals(List.of(tree.resolve("run/lock")), run.toList(), "the killed run's scratch is cleared");
        }
        assertEquals("", Files.readString(tree.resolve("run/lock")), "nobody holds the lock now");
    }

    @Test
    @Order(3)
    void aRejectedConfigIsReportedWithSynapsesWordsFromTheSelfRemovingCheckContainer() throws IOException {
        Path homeserver = tree.resolve("data/matrix/files/homeserver.yaml");
        String installed = Files.readString(homeserver);
        Path extra = Files.writeString(tree.resolve("bad.yaml"), "enable_registration: perhaps\n");
        // A check container an agent created and was killed before starting: auto-remove never applies to it. Its owner
        // label names this machine and a process that is gone (this JVM's pid with another start time).
        String stale = TestEngine.docker("create", "--label", ONE_OFF.substring("label=".length()),
                "--label", "io.matrixinstall.one-off.owner=" + machine() + "/" + ProcessHandle.current().pid() + "/0",
                "--entrypoint", "true", "matrixdotorg/synapse:latest").assertOk().stdout().strip();
        assertEquals(List.of(stale.substring(0, 12)), lines("ps", "-a", "-q", "--filter", ONE_OFF));
        Run run = agent.run(argv("--set", "synapse.extra_config=" + extra));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("Synapse rejected the new homeserver.yaml"), run.toString());
        assertTrue(run.stderr().contains("perhaps"), "Synapse's own words, read before the container removed itself: "
                + run.stderr());
        assertEquals(installed, Files.readString(homeserver));
        assertEquals(List.of(), lines("ps", "-a", "-q", "--filter", ONE_OFF));
        assertEquals(List.of(), leftovers());
        try (Stream<Path> runDir = Files.list(tree.resolve("run"))) {
            assertEquals(List.of(tree.resolve("run/lock")), runDir.toList());
        }
        assertEquals(200, health());
    }
}
