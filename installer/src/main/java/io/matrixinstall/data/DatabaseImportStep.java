package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a dump beside the live database (Synapse keeps serving meanwhile), optionally checks that its users belong
 * to this server name, then stops Synapse and swaps the loaded database in. Synapse stays stopped for the media
 * and {@link StartSynapseStep}. A backup's dump is loaded from a copy checked against its manifest right before.
 */
public final class DatabaseImportStep implements Step {
    private final Path dump;
    private final boolean checkServerName;
    private final VerifyBackupStep verified;
    private final Output<ComposeCli> compose;

    private DatabaseImportStep(Path dump, boolean checkServerName, VerifyBackupStep verified, Output<ComposeCli> compose) {
        this.dump = dump;
        this.checkServerName = checkServerName;
        this.verified = verified;
        this.compose = compose;
    }

    /** `restore`: the backup's database.dump, as a verified copy in {@link RestoreStaging}; {@code compose}: the docker step's. */
    public static DatabaseImportStep fromBackup(VerifyBackupStep verified, Output<ComposeCli> compose) {
        return new DatabaseImportStep(verified.directory().resolve(BackupLayout.DATABASE), false, verified, compose);
    }

    /** `migrate`: an old server's dump, whose users must belong to this server name. */
    public static DatabaseImportStep fromDump(Path dump, Output<ComposeCli> compose) {
        return new DatabaseImportStep(dump, true, null, compose);
    }

    @Override
    public String name() {
        return "import database";
    }

    @Override
    public void run(PlanContext context) {
        String project = context.config().projects().matrix();
        String load = "load " + dump + " into a fresh UTF8/C database beside the live one (" + (verified == null ? ""
                : "from a copy checked against the manifest; ") + "only Synapse's schema and data, loaded by a role that is"
                + " no superuser; without the rows of " + SynapseDatabase.ONE_TIME_KEYS + ")";
        context.gate().submit(load, () -> {
            SynapseDatabase database = SynapseDatabase.running(context, "import the database");
            if (verified == null) {
                database.load(dump);
            } else {
                loadVerifiedCopy(context, database);
            }
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
            Command stop = Commands.composeStop(compose.get(), project, context.layout().composeFile(), "synapse");
            context.host().exec(stop).requireOk(stop);
            SynapseDatabase.running(context, "replace the database").replaceWithIncoming();
        });
    }

    private void loadVerifiedCopy(PlanContext context, SynapseDatabase database) {
        Path staging = RestoreStaging.directory(context.layout());
        context.host().createDirectory(staging, Ownership.ROOT, Layout.PRIVATE_DIR);
        Path copy = staging.resolve(BackupLayout.DATABASE);
        try {
            verified.copyVerified(context, BackupLayout.DATABASE, copy);
            database.load(copy);
        } catch (RuntimeException e) {
            RestoreStaging.remove(context);
            throw e;
        } finally {
            context.host().remove(copy);
        }
    }
}
