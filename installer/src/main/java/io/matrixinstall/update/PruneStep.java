package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/**
 * {@code refresh}'s cleanup (seed 001: clean the builder cache): dangling images and the builder cache only.
 * Never volumes, never tagged images, so the kept rollback images survive.
 */
public final class PruneStep implements Step {

    @Override
    public String name() {
        return "prune";
    }

    @Override
    public void run(PlanContext context) {
        var dangling = context.host().exec(Commands.danglingImages());
        long count = dangling.ok() ? dangling.stdout().lines().filter(l -> !l.isBlank()).count() : 0;
        if (count > 0) {
            context.gate().submit("remove " + count + " dangling image(s) (docker image prune)", () -> {
                var command = Commands.pruneDanglingImages();
                context.host().exec(command).requireOk(command);
            });
        }
        var cache = context.host().exec(Commands.builderCacheSize());
        String size = cache.ok() ? cache.stdout().strip() : "";
        if (!size.isEmpty() && !size.equals("0B")) {
            context.gate().submit("clear the builder cache (" + size + ", docker builder prune)", () -> {
                var command = Commands.pruneBuilderCache();
                context.host().exec(command).requireOk(command);
            });
        }
    }
}
