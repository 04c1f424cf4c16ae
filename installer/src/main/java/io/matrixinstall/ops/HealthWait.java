package io.matrixinstall.ops;

import io.matrixinstall.component.ComposeService;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Poll;
import io.matrixinstall.steps.WaitHealthyStep;
import java.util.Optional;

/**
 * Waits until a service just started is healthy, within the run's health timeout. Synapse goes through
 * `up`'s own readiness gate ({@link WaitHealthyStep}: /health on loopback, its last log lines on timeout);
 * the others through their container health check, run live ({@link Poll#healthy}) rather than
 * waiting for Docker's next scheduled check.
 */
final class HealthWait {
    private HealthWait() {}

    static void until(PlanContext context, ComposeService service) {
        if (service.name().equals("synapse")) {
            new WaitHealthyStep().run(context);
            return;
        }
        Poll.healthy(context, service.project(), service.name(), Poll.deadline(context), container -> service.name()
                + " did not become healthy within " + context.options().healthTimeout().toSeconds() + " s ("
                + container.map(HealthWait::state).orElse("missing") + "); see `matrix-install logs " + service.name() + "`");
    }

    static Optional<ServiceContainer> find(PlanContext context, ComposeService service) {
        return context.docker().projectContainers(service.project()).stream()
                .filter(c -> c.service().equals(service.name())).findFirst();
    }

    static String state(ServiceContainer c) {
        return c.running() ? c.health().orElse("running") : "stopped";
    }
}
