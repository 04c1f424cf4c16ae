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
import java.util.List;
import java.util.Optional;

/** Stops running services in the order given (the public proxy first); containers and data stay. */
public final class StopServicesStep implements Step {
    private final List<ComposeService> services;
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's. */
    public StopServicesStep(List<ComposeService> services, Output<ComposeCli> compose) {
        this.services = List.copyOf(services);
        this.compose = compose;
    }

    @Override
    public String name() {
        return "stop services";
    }

    @Override
    public void run(PlanContext context) {
        for (ComposeService service : services) {
            Optional<ServiceContainer> container = HealthWait.find(context, service);
            if (container.isPresent() && container.get().running()) {
                context.gate().submit(ChangeGate.Change.stop(service.name()), () -> {
                    Command stop = Commands.composeStop(compose.get(), service.project(), service.composeFile(),
                            service.name());
                    context.host().exec(stop).requireOk(stop);
                });
            }
        }
    }
}
