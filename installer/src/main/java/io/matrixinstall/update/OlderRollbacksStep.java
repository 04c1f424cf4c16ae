package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/**
 * After a successful update: of each updated service only the image kept by this run stays tagged for a rollback;
 * older rollback tags go, so a daily refresh does not keep every release ever run (a prune then frees them).
 */
public final class OlderRollbacksStep implements Step {
    private final UpdateRun run;

    public OlderRollbacksStep(UpdateRun run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "older rollback images";
    }

    @Override
    public void run(PlanContext context) {
        run.keptImages().forEach((service, kept) -> {
            String repository = KeepImagesStep.REPOSITORY + service;
            var listed = context.host().exec(Commands.repositoryTags(repository));
            if (!listed.ok()) {
                return;
            }
            listed.stdout().lines().map(line -> line.split(" ", 2)[0]).filter(tag -> !tag.isBlank())
                    .map(tag -> repository + ":" + tag).filter(tag -> !tag.equals(kept))
                    .forEach(tag -> context.gate().submit("drop the older rollback image " + tag, () -> {
                        var command = Commands.untagImage(tag);
                        context.host().exec(command).requireOk(command);
                    }));
        });
    }
}
