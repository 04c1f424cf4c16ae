package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
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
        + " The database volume, base_dir and the certificates stay, unless --purge-data; base_dir/backups stays unless"
        + " --purge-backups too.")
final class UninstallCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    @Option(names = "--purge-data", description = "Also delete the data: the stacks' volumes (the database, and one"
            + " `db upgrade` kept), everything in base_dir (media, signing key, secrets, configuration) except"
            + " base_dir/backups, proxy_dir and proxy_data_dir (the certificates), and the state directory with the"
            + " history. Lists what it will delete and asks to type the domain.")
    boolean purge;

    @Option(names = "--purge-backups", description = "With --purge-data, also delete base_dir/backups: every backup"
            + " `backup` wrote there and the dumps `update` and `db upgrade` took.")
    boolean purgeBackups;

    @Option(names = "--yes", description = "Do not list what --purge-data deletes, nor ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Print what would be removed, and remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (purgeBackups && !purge) {
            throw new ConfigException("--purge-backups", "needs --purge-data (backups go only with the data they back up)");
        }
        return hostOptions.run(lockOptions.runDir(), this::uninstall);
    }

    private static Plan plan(UninstallStep step) {
        return new Plan(List.of(new LocateDockerStep(), step));
    }

    private int uninstall(Host host) {
        Console console = Console.system();
        InstallConfig config = configOptions.load(host);
        StateDir state = configOptions.stateDir();
        if (purge && !yes && !dryRun) {
            confirm(console, config.domain(), preview(config, host, state));
        }
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        RunOptions options = RunOptions.defaults();
        PlanContext context = new PlanContext(config, host, gate, options, console::progress, DockerEngine::connect);
        UninstallStep step = new UninstallStep(state, purge, purgeBackups);
        Plan plan = plan(step);
        boolean keptBackups = step.keepsBackups(context);
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
        } else if (keptBackups) {
            console.line("purged; kept " + context.layout().backupsDir() + " (backups and the dumps of update and db upgrade;"
                    + " `uninstall --purge-data --purge-backups` deletes it)");
        }
        return 0;
    }

    /** What the purge would do, from the same plan run without changing anything: the list the operator confirms. */
    private List<String> preview(InstallConfig config, Host host, StateDir state) {
        ChangeGate gate = ChangeGate.recording(line -> {});
        PlanContext context = new PlanContext(config, host, gate, RunOptions.defaults(), line -> {}, DockerEngine::connect);
        try {
            plan(new UninstallStep(state, purge, purgeBackups)).run(context);
        } finally {
            context.close();
        }
        return gate.changes();
    }

    /**
     * A typed confirmation of the listed changes: the domain, exactly. Anything else (or no terminal) changes nothing,
     * exit 2.
     */
    private static void confirm(Console console, String domain, List<String> changes) {
        console.problem("uninstall --purge-data will:");
        changes.forEach(change -> console.problem("  " + change));
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
