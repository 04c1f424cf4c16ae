package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.data.BackupStep;
import io.matrixinstall.data.Manifest;
import io.matrixinstall.data.Sizes;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.steps.LocateDockerStep;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backup", description = "Back up the server into one root-only directory: the database (pg_dump -Fc, without"
        + " the rows of e2e_one_time_keys_json), the media store, the signing key, every secret, the rendered and the recorded"
        + " configuration, and a manifest with each part's size and SHA-256. Synapse keeps running.")
final class BackupCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Recorded changeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", paramLabel = "DIR", description = "The backup's directory (new or empty; default"
            + " {base_dir}/backups/backup-<UTC time>).")
    Path to;

    @Option(names = "--dry-run", description = "List what would be written, and write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (to != null && (!to.isAbsolute() || !to.normalize().equals(to))) {
            throw new ConfigException("--to", "must be an absolute, normalised path (got '" + to + "')");
        }
        return changeOptions.run(spec, frame -> {
            InstallConfig config = changeOptions.load(frame.host());
            BackupStep backup = new BackupStep(to, changeOptions.stateDir(), MatrixInstall.Version.text());
            return DataRunner.run(frame, "backup", changeOptions.lock(), config, changeOptions.stateDir(),
                    new Plan(List.of(new LocateDockerStep(), backup)), dryRun, DataRunner.options(RunOptions.PullPolicy.NEVER, 300),
                    context -> {
                        Manifest manifest = backup.manifest().orElseThrow();
                        return "backup written to " + backup.directory() + ": " + manifest.parts().size() + " parts, "
                                + Sizes.human(manifest.totalBytes()) + " (database " + size(manifest, "database.dump") + ", media "
                                + size(manifest, "media.tar") + ")";
                    });
        });
    }

    private static String size(Manifest manifest, String part) {
        return manifest.part(part).map(p -> Sizes.human(p.bytes())).orElse("-");
    }
}
