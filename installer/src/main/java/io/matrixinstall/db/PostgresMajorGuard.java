package io.matrixinstall.db;

import io.matrixinstall.plan.Wants;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/**
 * Before `up` or `update` renders the compose file: the configured postgres.version must be the major the data was
 * moved to ({@link PostgresVersionFile}). Otherwise the stack would quietly start the other major on its own,
 * older or empty, volume (exit 2, nothing changed).
 */
public final class PostgresMajorGuard implements Step {

    @Override
    public String name() {
        return "postgres version";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.read(context.layout().postgresVersionFile());
    }

    @Override
    public void run(PlanContext context) {
        int wanted = context.config().postgresVersion();
        PostgresVersionFile.read(context.host(), context.layout()).ifPresent(installed -> {
            if (installed.version() != wanted) {
                throw new ConfigException("postgres.version", "this server's database is PostgreSQL " + installed.version()
                        + " (" + context.layout().postgresVersionFile() + ", written by `db upgrade`), not " + wanted
                        + ": run with --set postgres.version=" + installed.version()
                        + (installed.previous().isPresent() && installed.previous().getAsInt() == wanted
                                ? ", or go back with `matrix-install db upgrade --undo`" : ""));
            }
        });
    }
}
