package io.matrixinstall.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "refresh", description = "The scheduled, unattended `update`: the same pulls, backup and rollback, then"
        + " dangling images and the builder cache are pruned (never volumes, never the kept rollback images).")
final class RefreshCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Install changeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long a new release has to become healthy before it is rolled back (default 300).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        return changeOptions.run(spec, frame -> UpdateRunner.run(frame, "refresh", changeOptions.lock(),
                changeOptions.stateDir(), changeOptions.load(frame.host()), false, timeoutSeconds, true));
    }
}
