package io.matrixinstall.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.host.HostProcess;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Ownership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-java over a host's command stream, against the real engine: every engine call of {@link DockerEngine}
 * (a list of stale one-offs, a one-off container with its attach and events streams, a pull, a registry digest) goes through
 * {@code docker system dial-stdio} started by {@link Host#start}, and nothing else on the host is used. The engine
 * is the test harness's (DOCKER_HOST from /run/matrix-install-it/env), as the integration tests use it.
 */
class DockerEngineOverHostTest {
    private static final Path ENV_FILE = Path.of("/run/matrix-install-it/env");
    private static final Map<String, String> HARNESS = new HashMap<>();

    @TempDir
    Path scratch;

    @BeforeAll
    static void harness() throws IOException {
        assumeTrue(Files.exists(ENV_FILE), "no test engine prepared (scripts/prepare-test-host.sh)");
        for (String line : Files.readAllLines(ENV_FILE)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                HARNESS.put(line.substring(0, equals), line.substring(equals + 1).strip());
            }
        }
    }

    /** LocalHost's streams, with the harness's DOCKER_HOST; records what was started and refuses everything else. */
    static final class StreamOnlyHost implements Host {
        private final LocalHost local = new LocalHost();
        final List<List<String>> started = new CopyOnWriteArrayList<>();

        @Override
        public HostProcess start(Command command) {
            started.add(command.argv());
            Map<String, String> environment = new HashMap<>(command.environment());
            Optional.ofNullable(HARNESS.get("DOCKER_HOST")).ifPresent(value -> environment.put("DOCKER_HOST", value));
            return local.start(new Command(command.argv(), command.workingDirectory(), environment, command.timeout()));
        }

        @Override
        public String name() {
            return "stream-only host";
        }

        @Override
        public ExecResult exec(Command command) {
            throw new AssertionError("the engine must not run commands: " + command.argv());
        }

        @Override
        public Optional<FileState> stat(Path path) {
            throw new AssertionError();
        }

        @Override
        public Optional<byte[]> read(Path path) {
            throw new AssertionError();
        }

        @Override
        public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
            throw new AssertionError();
        }

        @Override
        public void createDirectory(Path path, Ownership owner, int mode) {
            throw new AssertionError();
        }

        @Override
        public void setOwnerAndMode(Path path, Ownership owner, int mode) {
            throw new AssertionError();
        }

        @Override
        public void remove(Path path) {
            throw new AssertionError();
        }

        @Override
        public List<String> list(Path directory) {
            throw new AssertionError();
        }

        @Override
        public HostLock lock(String command, Duration wait, Consumer<String> waiting) {
            throw new AssertionError();
        }

        @Override
        public Path scratchDirectory(String name) {
            throw new AssertionError();
        }

        @Override
        public void removeScratchDirectory(String name) {
            throw new AssertionError();
        }
    }

    @Test
    void everyEngineCallGoesThroughDialStdioStartedOnTheHost() throws IOException {
        StreamOnlyHost host = new StreamOnlyHost();
        Files.writeString(scratch.resolve("greeting"), "hello from the host's file system\n");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DockerEngine engine = DockerEngine.connect(host)) {
            // A one-off: create, attach (a stream), events since its creation (an endless stream), start, die.
            DockerEngine.OneOff once = engine.runOnce("mi-route-test", "postgres:15-alpine", "sh",
                    List.of("-c", "cat /data/greeting; echo to-stderr >&2; exit 3"), scratch, "/data", Duration.ofSeconds(60));
            assertEquals(3, once.exitCode(), once.output());
            assertTrue(once.output().contains("hello from the host's file system"), once.output());
            assertTrue(once.output().contains("to-stderr"), once.output());

            String registry = HARNESS.get("MATRIX_IT_REGISTRY");
            if (registry != null) {
                String image = registry + "/library/postgres:15-alpine";
                List<String> progress = new ArrayList<>();
                engine.pull(image, progress::add); // a streamed POST, read to its end
                assertTrue(engine.registryDigest(image).startsWith("sha256:"));
            }
        }
        assertTrue(host.started.size() >= 2, "several connections, each its own dial-stdio: " + host.started);
        assertTrue(host.started.stream().allMatch(List.of("docker", "system", "dial-stdio")::equals), host.started.toString());
    }

    /**
     * Two agents on one engine: a "created" one-off of a live agent (between its creation and its start) is left
     * alone by the other's clean-up; one whose creating process is gone is removed. Before owners were recorded,
     * every "created" one-off was removed, and the live agent's start failed.
     */
    @Test
    void aLiveAgentsCreatedOneOffSurvivesAnotherAgentsCleanUp() throws Exception {
        Process gone = new ProcessBuilder("sleep", "60").start();
        long goneStart = gone.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        gone.destroyForcibly().waitFor();
        OneOffOwner me = OneOffOwner.current();
        String live = created(me.label());
        String left = created(new OneOffOwner(me.machine(), gone.pid(), goneStart).label());
        try (DockerEngine engine = DockerEngine.connect(new StreamOnlyHost())) {
            engine.runOnce("mi-route-test", "postgres:15-alpine", "true", List.of(), scratch, "/data", Duration.ofSeconds(60));
            assertEquals(live, docker("ps", "-aq", "--no-trunc", "--filter", "id=" + live), "the live agent's one-off is still there");
            assertEquals("", docker("ps", "-aq", "--no-trunc", "--filter", "id=" + left), "the dead agent's one-off is removed");
        } finally {
            docker("rm", "-f", live, left);
        }
    }

    private static String created(String owner) throws Exception {
        return docker("create", "--label", DockerEngine.ONE_OFF_LABEL + "=mi-route-test", "--label",
                DockerEngine.ONE_OFF_OWNER_LABEL + "=" + owner, "postgres:15-alpine", "true");
    }

    private static String docker(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        Optional.ofNullable(HARNESS.get("DOCKER_HOST")).ifPresent(value -> builder.environment().put("DOCKER_HOST", value));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
