package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.steps.WaitHealthyStep;

/** Starts the Synapse container an import stopped, then waits for its /health like `up` (schema upgrades included). */
public final class StartSynapseStep implements Step {
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's. */
    public StartSynapseStep(Output<ComposeCli> compose) {
        this.compose = compose;
    }

    @Override
    public String name() {
        return "start synapse";
    }

    @Override
    public void run(PlanContext context) {
        context.gate().submit("start synapse on the imported data", () -> {
            Command start = Commands.composeStart(compose.get(), context.config().projects().matrix(),
                    context.layout().composeFile(), "synapse");
            context.host().exec(start).requireOk(start);
        });
        new WaitHealthyStep().run(context);
    }
}
