package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/** Rollback, first part: the configured tag of each changed service goes back to the image kept before the update. */
public final class PreviousImagesStep implements Step {
    private final UpdateRun run;

    public PreviousImagesStep(UpdateRun run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "previous images";
    }

    @Override
    public void run(PlanContext context) {
        for (UpdateRun.Change change : run.changes()) {
            String kept = run.keptImages().get(change.service().name());
            context.gate().submit("roll " + change.service().name() + " back to " + Digests.shortForm(change.runningDigest())
                    + " (tag " + change.service().image() + " on " + kept + ")", () -> {
                var command = Commands.tagImage(kept, change.service().image());
                context.host().exec(command).requireOk(command);
            });
        }
    }
}
