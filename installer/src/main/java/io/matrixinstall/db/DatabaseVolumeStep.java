package io.matrixinstall.db;

import io.matrixinstall.engine.ProjectContainers;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/**
 * In `up`, before the stack starts: a db container on another volume than the configured major's (a `db upgrade`
 * or `--undo` killed half-way) is removed, so Compose creates it anew on the right volume. Compose v1 would
 * otherwise carry the old volume over when it recreates the container (the image declares the data directory a
 * VOLUME), and start one major on the other's data.
 */
public final class DatabaseVolumeStep implements Step {
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's (none: no engine yet, nothing to look at). */
    public DatabaseVolumeStep(Output<ComposeCli> compose) {
        this.compose = compose;
    }

    @Override
    public String name() {
        return "database volume";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.ask(ProjectContainers.QUESTION, context.config().projects().matrix());
    }

    @Override
    public void run(PlanContext context) {
        if (!compose.present()) {
            return;
        }
        // The run's cached read (StackStep asks the same): one more engine call only when a db container exists.
        var db = context.docker().projectContainers(context.config().projects().matrix()).stream()
                .filter(c -> c.service().equals("db")).findFirst();
        if (db.isEmpty()) {
            return;
        }
        String wanted = context.layout().databaseVolume();
        String actual = db.get().volumeAt(DbService.DATA_DIRECTORY).orElse("");
        if (!actual.equals(wanted)) {
            context.gate().submit("remove the db container (its data volume is " + (actual.isEmpty() ? "none" : actual)
                    + ", PostgreSQL " + context.config().postgresVersion() + " runs on " + wanted + "; volumes stay)", () -> {
                var rm = Commands.composeRemoveService(compose.get(), context.config().projects().matrix(),
                        context.layout().composeFile(), "db");
                context.host().exec(rm).requireOk(rm);
            });
        }
    }
}
