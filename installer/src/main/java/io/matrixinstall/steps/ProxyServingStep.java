package io.matrixinstall.steps;

import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.time.Instant;

/** `up` ends only when the public proxy serves TLS for the domain (see {@link TlsModeComponent#awaitServing}). */
public final class ProxyServingStep implements Step {
    private final Output<ComposeCli> compose;
    private final Output<Instant> signalled;

    /** {@code compose}: the docker step's; {@code signalled}: the nginx reload step's, when it signalled the proxy. */
    public ProxyServingStep(Output<ComposeCli> compose, Output<Instant> signalled) {
        this.compose = compose;
        this.signalled = signalled;
    }

    @Override
    public String name() {
        return "wait for the proxy";
    }

    @Override
    public void run(PlanContext context) {
        TlsModes.of(context.config()).awaitServing(context, compose.optional(), signalled.optional());
    }
}
