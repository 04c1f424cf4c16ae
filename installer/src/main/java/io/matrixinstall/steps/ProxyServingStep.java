package io.matrixinstall.steps;

import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.component.tls.TlsModes;

/** `up` ends only when the public proxy serves TLS for the domain (see {@link TlsModeComponent#awaitServing}). */
public final class ProxyServingStep implements Step {
    @Override
    public String name() {
        return "wait for the proxy";
    }

    @Override
    public void run(PlanContext context) {
        TlsModes.of(context.config()).awaitServing(context);
    }
}
