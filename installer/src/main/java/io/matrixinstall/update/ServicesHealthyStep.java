package io.matrixinstall.update;

import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.util.List;
import java.util.Optional;

/**
 * After Synapse answers: waits until every other recreated service's own health check passes (element, nginx;
 * db is waited on by Compose before Synapse starts), within the health timeout.
 */
public final class ServicesHealthyStep implements Step {
    private final UpdateRun run;

    public ServicesHealthyStep(UpdateRun run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "wait for the other services";
    }

    @Override
    public void run(PlanContext context) {
        if (!context.gate().applies()) {
            return;
        }
        long deadline = System.nanoTime() + context.options().healthTimeout().toNanos();
        for (UpdateRun.Change change : run.changes()) {
            Service service = change.service();
            if (service.name().equals("synapse")) {
                continue;
            }
            while (!healthy(context, service)) {
                if (System.nanoTime() > deadline) {
                    throw new StepFailedException(service.name() + " did not become healthy within "
                            + context.options().healthTimeout().toSeconds() + " s");
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StepFailedException("interrupted while waiting for " + service.name());
                }
            }
        }
    }

    private static boolean healthy(PlanContext context, Service service) {
        List<ServiceContainer> containers = context.docker().projectContainers(service.project());
        Optional<ServiceContainer> container = containers.stream().filter(c -> c.service().equals(service.name())).findFirst();
        return container.isPresent() && container.get().running()
                && (container.get().healthy() && container.get().health().isPresent() || context.docker().healthyNow(container.get()));
    }
}
