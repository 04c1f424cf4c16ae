package io.matrixinstall.ops;

import io.matrixinstall.component.ComposeService;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.util.List;
import java.util.Optional;

/**
 * Starts stopped services in dependency order, each healthy before the next starts (db healthy, then synapse
 * answering /health, then element, then the proxy). Only existing containers are started: a missing one is
 * `up`'s job (it creates containers), which the failure says.
 */
public final class StartServicesStep implements Step {
    private final List<ComposeService> services;
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's. */
    public StartServicesStep(List<ComposeService> services, Output<ComposeCli> compose) {
        this.services = List.copyOf(services);
        this.compose = compose;
    }

    @Override
    public String name() {
        return "start services";
    }

    @Override
    public void run(PlanContext context) {
        for (ComposeService service : services) {
            Optional<ServiceContainer> container = HealthWait.find(context, service);
            if (container.isEmpty()) {
                throw new StepFailedException(service.name() + " has no container (project " + service.project()
                        + "): run `matrix-install up` to create it");
            }
            // A dry run of `restart` stopped nothing, but has listed the stop: the start follows it.
            boolean stoppedInThisRun = !context.gate().applies() && context.gate().recorded().stream()
                    .anyMatch(change -> change.kind().equals(ChangeGate.Change.STOP) && change.target().equals(service.name()));
            if (!container.get().running() || stoppedInThisRun) {
                context.gate().submit("start " + service.name(), () -> {
                    Command start = Commands.composeStart(compose.get(), service.project(), service.composeFile(),
                            service.name());
                    context.host().exec(start).requireOk(start);
                    HealthWait.until(context, service);
                });
            }
        }
    }
}
