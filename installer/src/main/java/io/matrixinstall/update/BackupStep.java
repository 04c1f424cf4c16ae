package io.matrixinstall.update;

import io.matrixinstall.data.SynapseDatabase;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Before synapse or db is recreated: {@code pg_dump -Fc} inside the running db container, streamed into a
 * root-only file under {base_dir}/backups, the last {@value #KEEP} kept. A new Synapse may migrate the schema
 * irreversibly; this dump is what a rollback restores when the old Synapse refuses the migrated one.
 */
public final class BackupStep implements Step {
    static final int KEEP = 5;
    static final String PREFIX = "synapse-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final UpdateRun run;

    public BackupStep(UpdateRun run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "database backup";
    }

    public static Path directory(PlanContext context) {
        return context.layout().backupsDir();
    }

    @Override
    public void run(PlanContext context) {
        if (!run.databaseTouched()) {
            return;
        }
        Path dir = directory(context);
        Path file = dir.resolve(PREFIX + STAMP.format(Instant.now()) + ".dump");
        context.gate().submit("back up the database to " + file + " (pg_dump -Fc, without the rows of e2e_one_time_keys_json)", () -> {
            context.host().createDirectory(dir, Ownership.ROOT, 0700);
            SynapseDatabase.running(context, "back up the database").dump(file);
            run.backup(file);
            List<String> dumps = context.host().list(dir).stream().filter(n -> n.startsWith(PREFIX) && n.endsWith(".dump")).toList();
            for (String old : dumps.subList(0, Math.max(0, dumps.size() - KEEP))) {
                context.host().remove(dir.resolve(old));
            }
        });
    }
}
