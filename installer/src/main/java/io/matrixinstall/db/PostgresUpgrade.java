package io.matrixinstall.db;

import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.steps.RecordConfigStep;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.steps.StackStep;
import io.matrixinstall.steps.WaitHealthyStep;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.Secrets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * `db upgrade`: moves the Synapse database to another PostgreSQL major by dump and restore, never touching the
 * current major's volume. Two contexts act on the one stack: {@code current} (the configured major) and
 * {@code target} (the same install with postgres.version changed). Order, so that a run killed anywhere is either
 * still on the current major with its data as it was, or completed by the next run:
 * <ol>
 * <li>Synapse stops; db runs on the current major's volume (a killed run may have left it on the new one);</li>
 * <li>the backup of this run, {@code pg_dump -Fc} without e2e_one_time_keys_json's rows, and every table's row
 * count;</li>
 * <li>the new major's volume, unless the data was already moved there, is removed and started empty (initdb:
 * UTF8, C), the dump restored into it and every count compared;</li>
 * <li>only then {base_dir}/postgres-version records the move, the configuration postgres.version, and the whole
 * stack starts on the new major.</li>
 * </ol>
 * When the restore or the comparison fails, the stack goes back to the current major.
 */
public final class PostgresUpgrade {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String IN_CONTAINER = "/tmp/matrix-install-upgrade.dump";
    private final PlanContext current;
    private final PlanContext target;
    private final TemplateRenderer renderer;
    private final StateDir state;
    private final Output<ComposeCli> compose;
    private final Output<Secrets> secrets;
    private final List<String> report = new ArrayList<>();
    private Path moved;

    /** {@code compose} and {@code secrets}: the docker and secrets steps', run on {@code current} before. */
    public PostgresUpgrade(PlanContext current, PlanContext target, TemplateRenderer renderer, StateDir state,
            Output<ComposeCli> compose, Output<Secrets> secrets) {
        this.current = current;
        this.target = target;
        this.renderer = renderer;
        this.state = state;
        this.compose = compose;
        this.secrets = secrets;
    }

    /** The closing lines for the operator (what was done, how to undo). */
    public List<String> report() {
        return List.copyOf(report);
    }

    public void upgrade() {
        int from = current.config().postgresVersion();
        int to = target.config().postgresVersion();
        Optional<PostgresVersionFile> recorded = PostgresVersionFile.read(current.host(), current.layout());
        if (recorded.isPresent() && recorded.get().version() == to) {
            // The data is already on the new major (this, or a killed, run verified it): converge the rest.
            finish(target);
            recorded.get().previous().ifPresent(p -> undoHints(p, to));
            return;
        }
        new PostgresMajorGuard().run(current);
        if (to == from) {
            return; // nothing to move: "no changes"
        }
        if (to < from) {
            throw new ConfigException("--to", "PostgreSQL " + from + " runs here; `db upgrade` goes to a newer major only"
                    + " (got " + to + "); `db upgrade --undo` goes back after an upgrade");
        }
        if (target.config().images().postgres().equals(current.config().images().postgres())) {
            throw new ConfigException("images.postgres", "names " + current.config().images().postgres() + " for PostgreSQL "
                    + from + " and " + to + "; give the PostgreSQL " + to + " image with `db upgrade --image IMAGE`");
        }
        pullIfMissing(target.config().images().postgres());
        try {
            move(from, to);
        } catch (RuntimeException e) {
            if (current.gate().applies()) {
                throw backToCurrent(e, from, target.layout().databaseVolume());
            }
            throw e;
        }
        new PostgresVersionFile(to, OptionalInt.of(from)).write(target, renderer);
        finish(target);
        report.add("PostgreSQL " + from + " -> " + to + ": the database was restored from " + moved + " and every table's row count"
                + " matches");
        undoHints(from, to);
    }

    /** Synapse stopped, the dump of this run, the new major on its own new volume with the dump restored and checked. */
    private void move(int from, int to) {
        stopSynapse(current);
        DbService.runOn(current, renderer, compose.get(), secrets.get());
        Path dump = current.layout().backupsDir().resolve("postgres-" + from + "-before-" + to + "-" + STAMP.format(Instant.now())
                + ".dump");
        RowCounts[] before = new RowCounts[1];
        current.gate().submit("back up the database to " + dump + " (pg_dump -Fc of PostgreSQL " + from
                + ", without the rows of e2e_one_time_keys_json) and count every table's rows", () -> {
            before[0] = backUp(dump);
        });
        String newVolume = target.layout().databaseVolume();
        if (target.docker().volumeExistsNow(newVolume)) {
            target.gate().submit("remove volume " + newVolume + " (PostgreSQL " + to + " data of an unfinished or undone"
                    + " upgrade, never verified; the data to move is in " + current.layout().databaseVolume() + ")", () -> {
                var rm = Commands.volumeRemove(newVolume);
                target.host().exec(rm).requireOk(rm);
            });
        }
        DbService.runOn(target, renderer, compose.get(), secrets.get());
        target.gate().submit("restore " + dump + " into PostgreSQL " + to + "'s new database (UTF8, C) on " + newVolume
                + " and compare every table's row count", () -> restoreAndCompare(dump, before[0]));
        moved = dump;
    }

    /** `db upgrade --undo`: back to the kept volume of the previous major; what was written since is lost. */
    public void undo(PostgresVersionFile recorded) {
        int from = recorded.version();
        int to = target.config().postgresVersion();
        String oldVolume = target.layout().databaseVolume();
        if (!target.docker().volumeExistsNow(oldVolume)) {
            throw new PreconditionException("cannot undo: the PostgreSQL " + to + " volume " + oldVolume
                    + " is gone (pruned with --prune-old); restore a backup instead");
        }
        stopSynapse(current);
        DbService.runOn(target, renderer, compose.get(), secrets.get());
        new RecordConfigStep(renderer, state).run(target);
        new PostgresVersionFile(to, OptionalInt.empty()).write(target, renderer);
        finish(target);
        report.add("back on PostgreSQL " + to + " (volume " + oldVolume + ", the data as it was before the upgrade); what was"
                + " written on PostgreSQL " + from + " since stays in volume " + current.layout().databaseVolume()
                + " until the next `db upgrade` removes it");
    }

    /** `db upgrade --prune-old`: the previous major's volume goes; undo is then impossible. */
    public void pruneOld(PostgresVersionFile recorded) {
        if (recorded.previous().isEmpty()) {
            return;
        }
        int previous = recorded.previous().getAsInt();
        String volume = current.layout().databaseVolume(previous);
        if (current.docker().volumeExistsNow(volume)) {
            current.gate().submit("remove volume " + volume + " (PostgreSQL " + previous + " data kept since the upgrade to "
                    + recorded.version() + "; no undo after this)", () -> {
                var rm = Commands.volumeRemove(volume);
                current.host().exec(rm).requireOk(rm);
            });
        }
        new PostgresVersionFile(recorded.version(), OptionalInt.empty()).write(current, renderer);
    }

    private void finish(PlanContext context) {
        new RecordConfigStep(renderer, state).run(context);
        DbService.runOn(context, renderer, compose.get(), secrets.get());
        StackStep.matrix(renderer, compose, secrets).run(context);
        new WaitHealthyStep().run(context);
    }

    private void undoHints(int from, int to) {
        report.add("the PostgreSQL " + from + " data stays in volume " + current.layout().databaseVolume(from) + "; undo (losing what was"
                + " written since): `matrix-install db upgrade --undo`; free its space: `matrix-install db upgrade --prune-old`");
    }

    private void pullIfMissing(String image) {
        if (target.docker().imageIdNow(image).isEmpty()) {
            target.gate().submit("pull image " + image, () -> {
                target.progress("pulling " + image + " ...");
                target.engine().pull(image, target::progress);
            });
        }
    }

    private void stopSynapse(PlanContext context) {
        Optional<ServiceContainer> synapse = context.docker().containersNow(context.config().projects().matrix())
                .stream().filter(c -> c.service().equals("synapse") && c.running()).findFirst();
        if (synapse.isPresent()) {
            context.gate().submit("stop synapse (nothing writes while the database moves)", () -> {
                var stop = Commands.composeStop(compose.get(), context.config().projects().matrix(),
                        context.layout().composeFile(), "synapse");
                context.host().exec(stop).requireOk(stop);
            });
        }
    }

    private RowCounts backUp(Path dump) {
        ServiceContainer db = DbService.running(current);
        long start = System.nanoTime();
        current.progress("dumping the database to " + dump + " ...");
        current.host().createDirectory(dump.getParent(), Ownership.ROOT, 0700);
        var command = Commands.pgDump(db.id());
        ExecResult result = current.host().execToFile(command, dump, Ownership.ROOT, 0600);
        if (!result.ok()) {
            current.host().remove(dump);
            result.requireOk(command);
        }
        ExecResult du = current.host().exec(Commands.diskUsage(dump));
        long bytes = du.ok() ? Long.parseLong(du.stdout().strip().split("\\s+")[0]) : 0L;
        current.progress(String.format("dump: %.1f MB in %.1f s", bytes / 1e6, (System.nanoTime() - start) / 1e9));
        RowCounts counts = RowCounts.read(current);
        List<String> missing = counts.missingMainTables();
        if (!missing.isEmpty()) {
            throw new StepFailedException("the database holds no Synapse tables " + missing + ": refusing to move it");
        }
        current.progress("rows before: " + counts.mainSummary() + " (" + counts.tables().size() + " tables, " + counts.total() + " rows)");
        return counts;
    }

    private void restoreAndCompare(Path dump, RowCounts before) {
        ServiceContainer db = DbService.running(target);
        long start = System.nanoTime();
        target.progress("restoring into PostgreSQL " + target.config().postgresVersion() + " ...");
        for (var command : List.of(Commands.copyIntoContainer(dump, db.id(), IN_CONTAINER), Commands.pgRestoreInto(db.id(), IN_CONTAINER),
                Commands.removeInContainer(db.id(), IN_CONTAINER), Commands.analyze(db.id()))) {
            target.host().exec(command).requireOk(command);
        }
        target.progress(String.format("restored in %.1f s", (System.nanoTime() - start) / 1e9));
        RowCounts after = RowCounts.read(target);
        List<String> differences = before.differences(after);
        if (!differences.isEmpty()) {
            throw new StepFailedException("the restored database differs: " + String.join(", ", differences));
        }
        target.progress("rows after: the same in all " + after.tables().size() + " tables");
    }

    /** A failed restore or comparison: the stack goes back to the current major's untouched volume. */
    private RuntimeException backToCurrent(RuntimeException failure, int from, String newVolume) {
        String why = String.valueOf(failure.getMessage()).lines().findFirst().orElse(failure.toString());
        try {
            DbService.runOn(current, renderer, compose.get(), secrets.get());
            StackStep.matrix(renderer, compose, secrets).run(current);
            new WaitHealthyStep().run(current);
        } catch (RuntimeException again) {
            return new StepFailedException("the upgrade failed (" + why + ") and going back to PostgreSQL " + from + " failed too ("
                    + again.getMessage() + "); its data is untouched in " + current.layout().databaseVolume()
                    + ": run `matrix-install up`");
        }
        return new StepFailedException("the upgrade failed (" + why + "): back on PostgreSQL " + from + ", its data untouched in "
                + current.layout().databaseVolume() + (current.docker().volumeExistsNow(newVolume) ? "; " + newVolume
                        + " is left for inspection (the next `db upgrade` removes it)" : ""));
    }

}
