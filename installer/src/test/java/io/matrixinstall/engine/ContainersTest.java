package io.matrixinstall.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.matrixinstall.host.ExecResult;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one reader of a project's containers ({@link Containers}), against the test harness's engine. */
class ContainersTest {
    private static final String IMAGE = "matrix-install-it/debian-base:bookworm";

    private final String project = "mi-facts2-read-" + UUID.randomUUID().toString().substring(0, 8);
    private final Optional<HarnessHost> engine = HarnessHost.find(command -> {});

    @AfterEach
    void removeContainers() {
        engine.ifPresent(host -> host.docker("rm", "-f", project + "_element_1", project + "_db_1"));
    }

    @Test
    void everyContainerIsReadRunningOrNotWithOrWithoutAHealthCheck() {
        assumeTrue(engine.isPresent(), "no test engine prepared (scripts/prepare-test-host.sh)");
        assumeTrue(engine.get().docker("image", "inspect", IMAGE).ok(), "no " + IMAGE + " on the test engine");
        assertEquals(List.of(), Containers.now(engine.get(), project));
        // element: no health check, never started; db: a health check, running.
        ExecResult element = engine.get().docker("create", "--name", project + "_element_1", "--label",
                "com.docker.compose.project=" + project, "--label", "com.docker.compose.service=element",
                "--label", "org.matrix-install.inputs=abc123", IMAGE, "sleep", "300");
        assertTrue(element.ok(), element.stderr());
        ExecResult db = engine.get().docker("run", "-d", "--name", project + "_db_1", "--label",
                "com.docker.compose.project=" + project, "--label", "com.docker.compose.service=db",
                "--health-cmd", "true", "--health-interval", "1h", IMAGE, "sleep", "300");
        assertTrue(db.ok(), db.stderr());

        List<ServiceContainer> containers = Containers.now(engine.get(), project);
        assertEquals(List.of("db", "element"), containers.stream().map(ServiceContainer::service).toList());
        ServiceContainer running = containers.get(0);
        assertEquals(db.stdout().strip(), running.id());
        assertTrue(running.running());
        assertEquals("running", running.status());
        assertEquals(Optional.of("starting"), running.health());
        assertEquals(List.of("CMD-SHELL", "true"), running.healthCheck());
        assertTrue(Containers.healthyNow(engine.get(), running), "its own check, run now");
        ServiceContainer created = containers.get(1);
        assertEquals(element.stdout().strip(), created.id());
        assertFalse(created.running());
        assertEquals("created", created.status());
        assertEquals(Optional.empty(), created.health(), "no health check: no health");
        assertEquals(List.of(), created.healthCheck());
        assertEquals("abc123", created.inputs());
        assertEquals(IMAGE, created.imageReference());
        assertEquals(0, created.restarts());
    }
}
