package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;

/** `migrate --media DIR`: copies the old server's media store into this one and gives it to Synapse (991). */
public final class MediaDirectoryStep implements Step {
    private final Path source;

    public MediaDirectoryStep(Path source) {
        this.source = source;
    }

    @Override
    public String name() {
        return "copy media";
    }

    @Override
    public void run(PlanContext context) {
        Path store = context.layout().mediaStore();
        context.gate().submit("copy " + source + " into " + store + " (owned by 991:991)", () -> {
            for (Command command : java.util.List.of(Commands.copyContents(source, store),
                    Commands.chownTree(store, Ownership.SYNAPSE.uid(), Ownership.SYNAPSE.gid()))) {
                context.host().exec(command).requireOk(command);
            }
        });
    }
}
