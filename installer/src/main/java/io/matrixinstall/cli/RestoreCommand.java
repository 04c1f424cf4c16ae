package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.data.BackupLayout;
import io.matrixinstall.data.DataPlans;
import io.matrixinstall.data.VerifyBackupStep;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.RunOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", description = "Restore a backup made by `backup`: checks its manifest (checksums, server name)"
        + " before any change, then runs `up` with the backup's signing key and secrets in place, loads the database into a"
        + " fresh UTF8/C database and swaps it in, unpacks the media, and starts Synapse until healthy. The current database"
        + " is replaced.")
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    InstallOptions install;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

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
        return RunFrame.run(spec, hostOptions, lockOptions.runDir(), frame -> {
            // Nothing installed and no configuration given: the install the backup recorded.
            Host host = frame.host();
            InstallConfig config = install.load(host, () -> host.read(from.resolve(BackupLayout.RECORDED_CONFIG))
                    .map(bytes -> ConfigLoader.parseSettings(from.resolve(BackupLayout.RECORDED_CONFIG).toString(),
                            new String(bytes, StandardCharsets.UTF_8))));
            StateDir state = install.stateDir();
            VerifyBackupStep verify = new VerifyBackupStep(from.normalize());
            return DataRunner.run(frame, "restore", lockOptions, config, state, DataPlans.restore(config, state, verify), dryRun,
                    DataRunner.options(pull, timeoutSeconds),
                    context -> "restored " + config.serverName() + " from " + from + " (taken " + verify.manifest().created()
                            + "); synapse is healthy: http://127.0.0.1:" + config.ports().synapse() + "/health");
        });
    }
}
