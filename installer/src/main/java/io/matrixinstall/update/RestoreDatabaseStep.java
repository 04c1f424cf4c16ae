package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;

/**
 * Rollback, second part, only when the previous Synapse refuses the schema the new one migrated to: Synapse is
 * stopped, the database dropped and recreated from the pre-update dump (with its own encoding and collation).
 * Whatever was written since the dump is lost, which is why this is the last resort.
 */
public final class RestoreDatabaseStep implements Step {
    private static final String IN_CONTAINER = "/tmp/matrix-install-restore.dump";
    private final Path dump;

    public RestoreDatabaseStep(Path dump) {
        this.dump = dump;
    }

    @Override
    public String name() {
        return "restore database";
    }

    @Override
    public void run(PlanContext context) {
        context.gate().submit("restore the database from " + dump + " (the previous Synapse refuses the migrated schema)", () -> {
            var stop = Commands.composeStop(context.compose(), context.config().projects().matrix(), context.layout().composeFile(),
                    "synapse");
            context.host().exec(stop).requireOk(stop);
            ServiceContainer db = context.docker().projectContainers(context.config().projects().matrix()).stream()
                    .filter(c -> c.service().equals("db") && c.running()).findFirst()
                    .orElseThrow(() -> new StepFailedException("cannot restore the database: the db container is not running"));
            for (var command : java.util.List.of(Commands.copyIntoContainer(dump, db.id(), IN_CONTAINER),
                    Commands.dropSynapseDatabase(db.id()), Commands.pgRestoreCreate(db.id(), IN_CONTAINER),
                    Commands.removeInContainer(db.id(), IN_CONTAINER))) {
                context.host().exec(command).requireOk(command);
            }
        });
    }
}
