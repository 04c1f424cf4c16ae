package io.matrixinstall.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "refresh", description = "The scheduled, unattended `update`: the same pulls, backup and rollback, then"
        + " dangling images and the builder cache are pruned (never volumes, never the kept rollback images).")
final class RefreshCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    @ParentCommand
    MatrixInstall parent;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long a new release has to become healthy before it is rolled back (default 300).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        return hostOptions.run(lockOptions.runDir(), host -> UpdateRunner.run("refresh", lockOptions, host, configOptions.stateDir(),
                configOptions.load(host), false, timeoutSeconds, true, parent != null && parent.verbose));
    }
}
