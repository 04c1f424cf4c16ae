package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/**
 * Keeps the image each changing service runs now under {@code matrix-install/rollback/SERVICE:<digest>}: once
 * the pull moved the configured tag it is untagged, and a prune of dangling images would remove it. The rollback
 * puts the configured tag back on it.
 */
public final class KeepImagesStep implements Step {
    public static final String REPOSITORY = "matrix-install/rollback/";
    private final UpdateRun run;

    public KeepImagesStep(UpdateRun run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "keep previous images";
    }

    public static String tag(UpdateRun.Change change) {
        return REPOSITORY + change.service().name() + ":" + Digests.hex12(change.runningDigest());
    }

    @Override
    public void run(PlanContext context) {
        for (UpdateRun.Change change : run.changes()) {
            String tag = tag(change);
            context.gate().submit("keep the previous image of " + change.service().name() + " as " + tag, () -> {
                var command = Commands.tagImage(change.runningImageId(), tag);
                context.host().exec(command).requireOk(command);
            });
            run.keptImage(change.service().name(), tag);
        }
    }
}
