package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.data.DataPlans;
import io.matrixinstall.data.Manifest;
import io.matrixinstall.data.RecordedInBackup;
import io.matrixinstall.data.VerifyBackupStep;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.RunOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", description = "Restore a backup made by `backup`: checks before any change that only root can"
        + " have written its directory (root 0700, every parent root's), its manifest (checksums, server name) and its media"
        + " archive, then runs `up` with the backup's signing key and secrets in place, loads the database into a fresh"
        + " UTF8/C database and swaps it in, replaces the media store, and starts Synapse until healthy. The current"
        + " database is replaced.")
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Install changeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "DIR", required = true, description = "The backup's directory.")
    Path from;

    @Option(names = "--dry-run", description = "Verify the backup and list what would change, and change nothing.")
    boolean dryRun;

    @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
            description = "Image pulls for the install: always, missing (default) or never.")
    RunOptions.PullPolicy pull;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for Synapse to become healthy (default 300).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!from.isAbsolute()) {
            throw new ConfigException("--from", "must be an absolute path (got '" + from + "')");
        }
        Path backup = from.normalize();
        return changeOptions.run(spec, frame -> {
            Host host = frame.host();
            // Before anything in it is read: a directory only root can have written.
            Manifest manifest = VerifyBackupStep.open(host, backup);
            // Nothing installed and no configuration given: the install the backup recorded, checked and said.
            InstallConfig config = changeOptions.load(host, () -> Optional.of(RecordedInBackup.settings(host, backup, manifest,
                    frame.console()::progress)));
            StateDir state = changeOptions.stateDir();
            VerifyBackupStep verify = new VerifyBackupStep(backup);
            return DataRunner.run(frame, "restore", changeOptions.lock(), config, state, DataPlans.restore(state, verify), dryRun,
                    DataRunner.options(pull, timeoutSeconds),
                    context -> "restored " + config.serverName() + " from " + from + " (taken " + verify.manifest().created()
                            + "); synapse is healthy: http://127.0.0.1:" + config.ports().synapse() + "/health");
        });
    }
}
