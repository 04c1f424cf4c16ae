package io.matrixinstall.db;

import io.matrixinstall.component.Components;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Poll;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.render.WantedFiles;
import io.matrixinstall.secrets.Secrets;
import java.util.Optional;

/**
 * The db service of the matrix stack, alone: which volume its container runs on, and bringing it onto the volume
 * of a context's PostgreSQL major. Every read is live (two contexts, one per major, act on the same stack).
 */
final class DbService {
    /** PostgreSQL's data directory in the official image, where its volume is mounted. */
    static final String DATA_DIRECTORY = "/var/lib/postgresql/data";

    private DbService() {}

    static Optional<ServiceContainer> container(PlanContext context) {
        return context.docker().containersNow(context.config().projects().matrix()).stream()
                .filter(c -> c.service().equals("db")).findFirst();
    }

    static ServiceContainer running(PlanContext context) {
        return container(context).filter(ServiceContainer::running)
                .orElseThrow(() -> new StepFailedException("the db container is not running"));
    }

    /** The volume at PostgreSQL's data directory of the db container, if there is one. */
    static Optional<String> dataVolume(PlanContext context) {
        return container(context).map(db -> db.volumeAt(DATA_DIRECTORY).orElse(""));
    }

    static String output(PlanContext context, Command command) {
        ExecResult result = context.host().exec(command);
        result.requireOk(command);
        return result.stdout();
    }

    /**
     * Makes the compose file the context's and the db service run from it, on the context's volume, healthy;
     * Synapse is not started. A db container on another volume is removed first: Compose v1 would otherwise carry
     * the old container's volume over to the new one (the image declares the data directory a VOLUME).
     */
    static void runOn(PlanContext context, TemplateRenderer renderer, ComposeCli compose, Secrets secrets) {
        Layout layout = context.layout();
        WantedFiles wanted = Components.wantedFiles(context, renderer, secrets);
        FileSync.file(context, layout.composeFile(), wanted.content(layout.composeFile()), Ownership.ROOT, Layout.PUBLIC_FILE);
        String volume = layout.databaseVolume();
        Optional<ServiceContainer> db = container(context);
        Optional<String> onVolume = dataVolume(context);
        String project = context.config().projects().matrix();
        if (db.isPresent() && !onVolume.equals(Optional.of(volume))) {
            context.gate().submit("remove the db container (its data volume is " + onVolume.filter(v -> !v.isEmpty()).orElse("none")
                    + ", PostgreSQL " + context.config().postgresVersion() + " runs on " + volume + "; volumes stay)", () -> {
                var rm = Commands.composeRemoveService(compose, project, layout.composeFile(), "db");
                context.host().exec(rm).requireOk(rm);
            });
        }
        boolean current = db.isPresent() && db.get().running() && onVolume.equals(Optional.of(volume))
                && wanted.inputs("db").map(db.get().inputs()::equals).orElse(true);
        if (!current) {
            context.gate().submit("start PostgreSQL " + context.config().postgresVersion() + " (" + context.config().images().postgres()
                    + ") alone on volume " + volume, () -> {
                var up = Commands.composeUpService(compose, project, layout.composeFile(), "db");
                context.host().exec(up).requireOk(up);
                waitHealthy(context);
            });
        }
    }

    /** Until the db container's own health check passes (pg_isready over TCP: initdb's temporary server is done). */
    static void waitHealthy(PlanContext context) {
        Poll.healthy(context, context.config().projects().matrix(), "db", Poll.deadline(context), container -> "PostgreSQL "
                + context.config().postgresVersion() + " did not become healthy within "
                + context.options().healthTimeout().toSeconds() + " s; see `matrix-install logs db`");
    }
}
