package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stack's {@code compose up} under each pull policy: {@code --push-images} and {@code --pull never} pull nothing. */
class StackPullTest {
    private static final Path FILE = Path.of("/data/matrix/docker-compose.yml");

    private static List<String> up(RunOptions options, ComposeCli cli) {
        PlanContext context = new PlanContext(ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org")), new LocalHost(), ChangeGate.recording(line -> {}), options, line -> {},
                DockerEngine::connect);
        return StackStep.upCommand(context, cli, "matrix", FILE).argv();
    }

    @Test
    void pushedImagesAndPullNeverMakeComposeNeverPull() {
        RunOptions push = new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DISTRO, Duration.ofMinutes(1), false, true);
        List<String> never = List.of("docker", "compose", "-p", "matrix", "-f", FILE.toString(), "up", "-d", "--remove-orphans",
                "--pull", "never");
        assertEquals(never, up(push, ComposeCli.V2));
        assertEquals(never, up(new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.AUTO, Duration.ofMinutes(1),
                false), ComposeCli.V2));
        assertEquals(List.of("docker", "compose", "-p", "matrix", "-f", FILE.toString(), "up", "-d", "--remove-orphans"),
                up(RunOptions.defaults(), ComposeCli.V2));
        // Compose v1 has no --pull; it pulls only absent images, and ImagesStep has made sure there are none.
        assertEquals(List.of("docker-compose", "-p", "matrix", "-f", FILE.toString(), "up", "-d", "--remove-orphans"),
                up(push, ComposeCli.V1));
    }

    @Test
    void pushImagesAlwaysMeansPullNever() {
        assertEquals("--push-images pulls nothing: the pull policy must be never", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new RunOptions(RunOptions.PullPolicy.MISSING, RunOptions.DockerSource.AUTO,
                        Duration.ofMinutes(1), false, true)).getMessage());
    }
}
