package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Host;
import io.matrixinstall.ops.HostOperation;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.ops.UninstallStep;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.plan.steps.LocateDockerStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "uninstall", description = "Remove the containers, networks, schedules and the recorded configuration."
        + " The database volume, base_dir and the certificates stay, unless --purge-data.")
final class UninstallCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    @Option(names = "--purge-data", description = "Also delete the data: volumes (the database), base_dir (media, keys,"
            + " secrets), the nginx directories with the certificates, and the history. Asks to type the domain.")
    boolean purge;

    @Option(names = "--yes", description = "Do not ask for confirmation of --purge-data.")
    boolean yes;

    @Option(names = "--dry-run", description = "Print what would be removed, and remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        return hostOptions.run(lockOptions.runDir(), this::uninstall);
    }

    private int uninstall(Host host) {
        Console console = Console.system();
        InstallConfig config = configOptions.load(host);
        StateDir state = configOptions.stateDir();
        if (purge && !yes && !dryRun) {
            confirm(console, config.domain());
        }
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        RunOptions options = RunOptions.defaults();
        PlanContext context = new PlanContext(config, host, gate, options, console::progress, DockerEngine::connect);
        Plan plan = new Plan(List.of(new LocateDockerStep(), new UninstallStep(state, purge)));
        try (HostOperation operation = OperationRunner.begin(lockOptions, host, state,
                purge ? "uninstall --purge-data" : "uninstall", dryRun, console)) {
            try {
                plan.run(context);
                operation.succeeded(!gate.changes().isEmpty(), purge ? "data purged" : "volumes, base_dir and certificates kept");
                if (purge) {
                    operation.forget(); // the history went with the state directory
                }
            } catch (RuntimeException e) {
                operation.failed(e);
                throw e;
            }
        } finally {
            context.close();
        }
        if (gate.changes().isEmpty()) {
            console.line("nothing to remove: no changes");
        } else if (!gate.applies()) {
            console.line(gate.changes().size() + " change(s) would be made on " + host.name());
        } else if (!purge) {
            console.line("uninstalled; kept the database volume, " + config.baseDir() + " and the certificates"
                    + " (`uninstall --purge-data` deletes them)");
        }
        return 0;
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
