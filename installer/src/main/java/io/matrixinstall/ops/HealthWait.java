package io.matrixinstall.ops;

import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.plan.steps.WaitHealthyStep;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits until a service just started is healthy, within the run's health timeout. Synapse goes through
 * `up`'s own readiness gate ({@link WaitHealthyStep}: /health on loopback, its last log lines on timeout);
 * the others through their container health check, run live ({@code DockerCli.healthyNow}) rather than
 * waiting for Docker's next scheduled check.
 */
final class HealthWait {
    private static final Duration POLL = Duration.ofMillis(250);

    private HealthWait() {}

    static void until(PlanContext context, Service service) {
        if (service.name().equals("synapse")) {
            new WaitHealthyStep().run(context);
            return;
        }
        long deadline = System.nanoTime() + context.options().healthTimeout().toNanos();
        while (true) {
            // A live read each time: the run's DockerCli remembers answers until the change is over.
            DockerCli live = new DockerCli(context.host());
            Optional<ServiceContainer> container = live.projectContainers(service.project()).stream()
                    .filter(c -> c.service().equals(service.name())).findFirst();
            if (container.isPresent() && (container.get().healthy()
                    || container.get().running() && live.healthyNow(container.get()))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailedException(service.name() + " did not become healthy within "
                        + context.options().healthTimeout().toSeconds() + " s (" + container.map(HealthWait::state).orElse("missing")
                        + "); see `matrix-install logs " + service.name() + "`");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for " + service.name());
            }
        }
    }

    static Optional<ServiceContainer> find(PlanContext context, Service service) {
        return context.docker().projectContainers(service.project()).stream()
                .filter(c -> c.service().equals(service.name())).findFirst();
    }

    static String state(ServiceContainer c) {
        return c.running() ? c.health().orElse("running") : "stopped";
    }
}
