package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a dump beside the live database (Synapse keeps serving meanwhile), optionally checks that its users belong
 * to this server name, then stops Synapse and swaps the loaded database in. Synapse stays stopped for the media
 * and {@link StartSynapseStep}.
 */
public final class DatabaseImportStep implements Step {
    private final Path dump;
    private final boolean checkServerName;

    public DatabaseImportStep(Path dump, boolean checkServerName) {
        this.dump = dump;
        this.checkServerName = checkServerName;
    }

    @Override
    public String name() {
        return "import database";
    }

    @Override
    public void run(PlanContext context) {
        String project = context.config().projects().matrix();
        String load = "load " + dump + " into a fresh UTF8/C database beside the live one (only Synapse's schema and data,"
                + " loaded by a role that is no superuser; without the rows of " + SynapseDatabase.ONE_TIME_KEYS + ")";
        context.gate().submit(load, () -> {
            SynapseDatabase database = SynapseDatabase.running(context, "import the database");
            database.load(dump);
            if (checkServerName) {
                Optional<String> users = database.incomingServerName();
                String wanted = context.config().serverName();
                if (users.isPresent() && !users.get().equals(wanted)) {
                    database.discardIncoming();
                    throw new StepFailedException("the users in " + dump + " belong to '" + users.get() + "', not to '" + wanted
                            + "'; a Matrix server name can never change; the live database was not touched");
                }
            }
        });
        context.gate().submit("stop synapse and replace the database with the loaded one", () -> {
            Command stop = Commands.composeStop(context.compose(), project, context.layout().composeFile(), "synapse");
            context.host().exec(stop).requireOk(stop);
            SynapseDatabase.running(context, "replace the database").replaceWithIncoming();
        });
    }
}
