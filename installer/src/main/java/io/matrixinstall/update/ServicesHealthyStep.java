package io.matrixinstall.update;

import io.matrixinstall.component.ComposeService;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.Poll;

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
        long deadline = Poll.deadline(context);
        for (UpdateRun.Change change : run.changes()) {
            ComposeService service = change.service();
            if (service.name().equals("synapse")) {
                continue;
            }
            Poll.healthy(context, service.project(), service.name(), deadline, container -> service.name()
                    + " did not become healthy within " + context.options().healthTimeout().toSeconds() + " s");
        }
    }
}
