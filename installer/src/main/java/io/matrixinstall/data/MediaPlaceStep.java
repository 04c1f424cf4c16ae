package io.matrixinstall.data;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;

/**
 * With Synapse stopped: the media {@link MediaStagingStep} unpacked replace the media store (renames only: the old
 * store goes aside into the staging directory, which is then removed with it). The data come back as they were in
 * the backup or on the old server; the database they belong to was swapped in just before.
 */
public final class MediaPlaceStep implements Step {
    private final MediaStagingStep staged;

    public MediaPlaceStep(MediaStagingStep staged) {
        this.staged = staged;
    }

    @Override
    public String name() {
        return "place media";
    }

    @Override
    public void run(PlanContext context) {
        Path store = context.layout().mediaStore();
        Path staging = RestoreStaging.directory(context.layout());
        context.gate().submit("replace " + store + " with the unpacked media (the previous media store is deleted)", () -> {
            Command replace = Commands.replaceDirectory(staged.unpacked(context.layout()), store, staging.resolve("previous-media"));
            context.host().exec(replace).requireOk(replace);
            RestoreStaging.remove(context);
        });
    }
}
