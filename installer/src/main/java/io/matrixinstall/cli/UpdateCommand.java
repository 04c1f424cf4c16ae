package io.matrixinstall.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "update", description = "Pull every image; recreate only the services whose image changed (database backup"
        + " and previous images kept first), each waiting for health; roll back by itself when the new release is not"
        + " healthy (exit 1).")
final class UpdateCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Install changeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "List what would change (asks the registry, pulls nothing) and change nothing.")
    boolean dryRun;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long a new release has to become healthy before it is rolled back (default 300).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        return changeOptions.run(spec, frame -> UpdateRunner.run(frame, "update", changeOptions.lock(),
                changeOptions.stateDir(), changeOptions.load(frame.host()), dryRun, timeoutSeconds, false));
    }
}
