package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.ops.UninstallStep;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.steps.LocateDockerStep;
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
        + " The database volume, base_dir and the certificates stay, unless --purge-data; base_dir/backups stays unless"
        + " --purge-backups too.")
final class UninstallCommand implements Callable<Integer> {

    // The install settings too: once a plain uninstall removed the recorded configuration, --purge-data names the
    // install by them.
    @Mixin
    ChangeOptions.Install changeOptions;

    @Spec
    CommandSpec spec;

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
        return changeOptions.run(spec, this::uninstall);
    }

    private int uninstall(RunFrame frame) {
        InstallConfig config = changeOptions.load(frame.host());
        StateDir state = changeOptions.stateDir();
        if (purge && !yes && !dryRun) {
            LocateDockerStep docker = new LocateDockerStep();
            confirm(frame.console(), config.domain(), frame.preview(config, plan(docker, new UninstallStep(state, purge,
                    purgeBackups, docker.compose()))));
        }
        LocateDockerStep docker = new LocateDockerStep();
        UninstallStep step = new UninstallStep(state, purge, purgeBackups, docker.compose());
        return frame.change(purge ? "uninstall --purge-data" : "uninstall", changeOptions.lock(), state).dryRun(dryRun)
                .run(config, context -> {
                    boolean keptBackups = step.keepsBackups(context);
                    frame.plan(context, plan(docker, step));
                    Outcome outcome = Outcome.of(context).unchanged("nothing to remove: no changes")
                            .detail(purge ? "data purged" : "volumes, base_dir and certificates kept");
                    if (purge) {
                        outcome.forget(); // the history went with the state directory
                        return keptBackups ? outcome.done(() -> "purged; kept " + context.layout().backupsDir()
                                + " (backups and the dumps of update and db upgrade;"
                                + " `uninstall --purge-data --purge-backups` deletes it)") : outcome;
                    }
                    return outcome.done(() -> "uninstalled; kept the database volume, " + config.baseDir()
                            + " and the certificates (`uninstall --purge-data` deletes them)");
                });
    }

    /** {@code step} stops the stacks with the Compose {@code docker} finds. */
    private static Plan plan(LocateDockerStep docker, UninstallStep step) {
        return new Plan(List.of(docker, step));
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
