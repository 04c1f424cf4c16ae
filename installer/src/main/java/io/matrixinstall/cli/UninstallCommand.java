package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.ops.UninstallStep;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.steps.LocateDockerStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "uninstall", description = "Remove the containers, networks, schedules and the recorded configuration."
        + " The database volume, base_dir and the certificates stay, unless --purge-data.")
final class UninstallCommand implements Callable<Integer> {

    // The install settings too: once a plain uninstall removed the recorded configuration, --purge-data names the
    // install by them.
    @Mixin
    InstallOptions install;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--purge-data", description = "Also delete the data: volumes (the database), base_dir (media, keys,"
            + " secrets), the nginx directories with the certificates, and the history. Asks to type the domain.")
    boolean purge;

    @Option(names = "--yes", description = "Do not ask for confirmation of --purge-data.")
    boolean yes;

    @Option(names = "--dry-run", description = "Print what would be removed, and remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        return RunFrame.run(spec, hostOptions, lockOptions.runDir(), this::uninstall);
    }

    private int uninstall(RunFrame frame) {
        InstallConfig config = install.load(frame.host());
        StateDir state = install.stateDir();
        if (purge && !yes && !dryRun) {
            confirm(frame.console(), config.domain());
        }
        Plan plan = new Plan(List.of(new LocateDockerStep(), new UninstallStep(state, purge)));
        return frame.change(purge ? "uninstall --purge-data" : "uninstall", lockOptions, state).dryRun(dryRun)
                .run(config, context -> {
                    frame.plan(context, plan);
                    Outcome outcome = Outcome.of(context).unchanged("nothing to remove: no changes")
                            .detail(purge ? "data purged" : "volumes, base_dir and certificates kept");
                    if (purge) {
                        return outcome.forget(); // the history went with the state directory
                    }
                    return outcome.done(() -> "uninstalled; kept the database volume, " + config.baseDir()
                            + " and the certificates (`uninstall --purge-data` deletes them)");
                });
    }

    /** A typed confirmation: the domain, exactly. Anything else (or no terminal) changes nothing, exit 2. */
    private static void confirm(Console console, String domain) {
        console.problem("This deletes every message, upload, key and certificate of " + domain + ". Type the domain to confirm:");
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().equals(domain)) {
            throw new PreconditionException("not confirmed (expected '" + domain + "'); nothing was removed");
        }
    }
}
