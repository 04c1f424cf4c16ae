package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.data.SynapseDatabase;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;

/**
 * Rollback, second part, only when the previous Synapse refuses the schema the new one migrated to: Synapse is
 * stopped and the database replaced by one loaded from the pre-update dump (see {@link SynapseDatabase}).
 * Whatever was written since the dump is lost, which is why this is the last resort.
 */
public final class RestoreDatabaseStep implements Step {
    private final Path dump;
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's. */
    public RestoreDatabaseStep(Path dump, Output<ComposeCli> compose) {
        this.dump = dump;
        this.compose = compose;
    }

    @Override
    public String name() {
        return "restore database";
    }

    @Override
    public void run(PlanContext context) {
        context.gate().submit("restore the database from " + dump + " (the previous Synapse refuses the migrated schema)", () -> {
            // Loaded beside the live database first (Synapse still running on it), swapped in with Synapse stopped.
            SynapseDatabase database = SynapseDatabase.running(context, "restore the database");
            database.loadOwnDump(dump);
            var stop = Commands.composeStop(compose.get(), context.config().projects().matrix(), context.layout().composeFile(),
                    "synapse");
            context.host().exec(stop).requireOk(stop);
            database.replaceWithIncoming();
        });
    }
}
