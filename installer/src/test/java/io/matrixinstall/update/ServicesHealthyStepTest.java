package io.matrixinstall.update;

import io.matrixinstall.component.ComposeService;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.matrixinstall.host.Command;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.engine.HarnessHost;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The update's wait for the other services looks at the engine live: a container that is not running at the first
 * look and starts right after it is seen running at the next look, long before the timeout. (It once read the
 * containers through the run's remembered engine answers, so the first "not running" stayed until the timeout.)
 * Against the test harness's engine, with a real container.
 */
class ServicesHealthyStepTest {
    private static final String IMAGE = "matrix-install-it/debian-base:bookworm";

    private final String project = "mi-facts2-poll-" + UUID.randomUUID().toString().substring(0, 8);
    private final String container = project + "_element_1";
    private final Optional<HarnessHost> engine = HarnessHost.find(command -> {});

    @AfterEach
    void removeContainer() {
        engine.ifPresent(host -> host.docker("rm", "-f", container));
    }

    @Test
    void aServiceThatStartsAfterTheFirstLookIsSeenRunningAtTheNext() {
        assumeTrue(engine.isPresent(), "no test engine prepared (scripts/prepare-test-host.sh)");
        assumeTrue(engine.get().docker("image", "inspect", IMAGE).ok(), "no " + IMAGE + " on the test engine");
        ExecResult created = engine.get().docker("create", "--name", container,
                "--label", "com.docker.compose.project=" + project, "--label", "com.docker.compose.service=element",
                "--health-cmd", "true", "--health-interval", "1h", IMAGE, "sleep", "300");
        assertTrue(created.ok(), created.stderr());
        // The container starts only once the step has looked at the project's containers (listed and inspected).
        boolean[] looked = {false};
        Host host = HarnessHost.find(command -> {
            if (!looked[0] && command.argv().stream().anyMatch(arg -> arg.contains("inspect"))) {
                looked[0] = true;
                assertTrue(engine.get().docker("start", container).ok());
            }
        }).orElseThrow();

        UpdateRun run = new UpdateRun();
        run.changed(new UpdateRun.Change(new ComposeService("element", project, Path.of("/nonexistent/docker-compose.yml"), IMAGE),
                "sha256:1111", "sha256:2222", "sha256:3333"));
        PlanContext context = new PlanContext(
                ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org", "email", "admin@example.org")),
                host, ChangeGate.applying(line -> {}),
                new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.AUTO, Duration.ofSeconds(20), false),
                line -> {}, ServicesHealthyStepTest::noEngine);

        long start = System.nanoTime();
        assertDoesNotThrow(() -> new ServicesHealthyStep(run).run(context));
        assertTrue(looked[0], "the container started after the step's first look");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "seen running well before the timeout");
    }

    private static DockerEngine noEngine(Host host) {
        throw new AssertionError("the wait reads the engine through the docker CLI only");
    }
}
