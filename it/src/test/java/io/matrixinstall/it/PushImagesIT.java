package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.engine.LocalEngine;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.steps.ImagePush;
import io.matrixinstall.steps.ImagesStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code up --push-images}, its images part, for real: the harness engine plays the operator's local engine and a
 * second, throwaway dockerd (private mount and network namespaces, its own data root, gone with the test) plays
 * the air-gapped target. The target is reached through a {@link LocalHost} whose commands name that engine, so
 * the image really travels {@code docker save} (here) → {@link Host#execWithInput} → {@code docker load} (there).
 */
class PushImagesIT {
    private static final String IMAGE = "nginx:stable-alpine";
    private static Path dir;
    private static Process namespace;
    private static String targetDocker;

    @BeforeAll
    static void startTheTargetEngine() throws Exception {
        dir = Files.createTempDirectory("mi-prov-push");
        targetDocker = "unix://" + dir.resolve("docker.sock");
        // tmpfs over /run hides every other engine's containerd and sockets from it; its socket is in our temp dir.
        String script = "set -e; mount -t tmpfs tmpfs /run; ip link set lo up; exec dockerd --host " + targetDocker
                + " --data-root " + dir.resolve("data") + " --exec-root " + dir.resolve("exec") + " --pidfile "
                + dir.resolve("dockerd.pid") + " --bridge=none --iptables=false --ip6tables=false --ip-masq=false";
        namespace = new ProcessBuilder("unshare", "--mount", "--net", "--fork", "--kill-child", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!target().exec(Commands.dockerInfo()).ok()) {
            if (System.nanoTime() > deadline || !namespace.isAlive()) {
                throw new IllegalStateException("the throwaway dockerd did not answer: " + Files.readString(dir.resolve("dockerd.log")));
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopIt() throws Exception {
        if (namespace != null) {
            // dockerd stops its containerd when asked nicely; unshare (which ignores SIGTERM) then ends with it, and
            // the namespace's mounts with both. SIGKILL on unshare (--kill-child) is the fallback.
            Path pid = dir.resolve("dockerd.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroy);
            }
            if (!namespace.waitFor(30, TimeUnit.SECONDS)) {
                namespace.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor();
    }

    private static Host target() {
        return new EngineHost(new LocalHost(dir.resolve("run")), targetDocker);
    }

    private static LocalEngine operators() {
        return new LocalEngine(Map.of("DOCKER_HOST", TestEngine.environment().get("DOCKER_HOST")));
    }

    /** The engine answers: the Docker step's finding. */
    private static Output<ComposeCli> compose() {
        Output<ComposeCli> compose = new Output<>("the docker step");
        compose.set(ComposeCli.V1);
        return compose;
    }

    private static List<String> images(List<String> progress, boolean apply) {
        // One image under every name keeps the transfer small; the step pushes it once.
        InstallConfig config = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org", "email",
                "admin@example.org", "tls.mode", "self-signed", "images.postgres", IMAGE, "images.synapse", IMAGE,
                "images.element", IMAGE, "images.nginx", IMAGE));
        RunOptions options = new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DISTRO, Duration.ofMinutes(1),
                false, true);
        ChangeGate gate = apply ? ChangeGate.applying(line -> {}) : ChangeGate.recording(line -> {});
        PlanContext context = new PlanContext(config, target(), gate, options, progress::add, DockerEngine::connect);
        new ImagesStep(new ImagePush(operators()), compose()).run(context);
        return gate.changes();
    }

    @Test
    void imagesTheTargetLacksAreStreamedFromTheLocalEngineOnceAndThenLeftAlone() {
        String id = operators().image(IMAGE).orElseThrow().id();
        List<String> progress = new ArrayList<>();
        List<String> planned = images(progress, false);
        assertEquals(1, planned.size(), planned.toString());
        assertTrue(planned.get(0).startsWith("push image " + IMAGE + " (" + id.substring(0, 19) + ", "), planned.get(0));
        assertEquals(Optional.empty(), LocalEngineProbe.id(targetDocker), "a dry run pushes nothing");

        List<String> done = images(progress, true);
        assertEquals(planned, done);
        assertEquals(Optional.of(id), LocalEngineProbe.id(targetDocker), "the target holds the very image");
        String summary = progress.get(progress.size() - 1);
        assertTrue(summary.matches("pushed " + IMAGE + ": [0-9.]+ MB in [0-9.]+ s \\([0-9.]+ MB/s\\)"), summary);
        System.out.println("PushImagesIT: " + String.join(" | ", progress));

        assertEquals(List.of(), images(new ArrayList<>(), true), "a second run pushes nothing");
    }

    @Test
    void anImageTheLocalEngineLacksIsOneLine() {
        InstallConfig config = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org", "email",
                "admin@example.org", "tls.mode", "none", "images.postgres", "mi-prov/absent:1"));
        RunOptions options = new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DISTRO, Duration.ofMinutes(1),
                false, true);
        PlanContext context = new PlanContext(config, target(), ChangeGate.recording(line -> {}), options, line -> {},
                DockerEngine::connect);
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> new ImagesStep(new ImagePush(operators()), compose()).run(context));
        assertEquals("--push-images: image mi-prov/absent:1 is not in the local engine (DOCKER_HOST="
                + TestEngine.environment().get("DOCKER_HOST") + "); pull or load it there first", e.getMessage());
    }

    /** What the target engine says about the image, asked directly. */
    private static final class LocalEngineProbe {
        static Optional<String> id(String dockerHost) {
            return new LocalEngine(Map.of("DOCKER_HOST", dockerHost)).image(IMAGE).map(LocalEngine.Image::id);
        }
    }

    /** This machine's files and programs, with every command sent to the target engine. */
    private record EngineHost(Host inner, String dockerHost) implements Host {
        private Command there(Command command) {
            return command.withEnvironment(Map.of("DOCKER_HOST", dockerHost));
        }

        @Override public String name() { return "the target engine"; }
        @Override public ExecResult exec(Command command) { return inner.exec(there(command)); }
        @Override public ExecResult execWithInput(Command command, java.io.InputStream input) { return inner.execWithInput(there(command), input); }
        @Override public Optional<FileState> stat(Path path) { return inner.stat(path); }
        @Override public Optional<byte[]> read(Path path) { return inner.read(path); }
        @Override public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) { throw new UnsupportedOperationException(); }
        @Override public void createDirectory(Path path, Ownership owner, int mode) { throw new UnsupportedOperationException(); }
        @Override public void setOwnerAndMode(Path path, Ownership owner, int mode) { throw new UnsupportedOperationException(); }
        @Override public void remove(Path path) { throw new UnsupportedOperationException(); }
        @Override public List<String> list(Path directory) { return inner.list(directory); }
        @Override public HostLock lock(String command, Duration wait, Consumer<String> waiting) { return inner.lock(command, wait, waiting); }
        @Override public Path scratchDirectory(String name) { return inner.scratchDirectory(name); }
        @Override public void removeScratchDirectory(String name) { inner.removeScratchDirectory(name); }
    }
}
