package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Host;
import io.matrixinstall.ops.HostOperation;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.update.HistoryLog;
import io.matrixinstall.update.Update;
import io.matrixinstall.update.UpdateRun;
import java.time.Duration;

/** What `update` and `refresh` share: one run of the update plan, the rollback on failure, one history line. */
final class UpdateRunner {
    private UpdateRunner() {}

    static int run(String command, HostLockOptions lockOptions, Host host, StateDir state, InstallConfig config,
            boolean dryRun, int timeoutSeconds, boolean prune, boolean verbose) {
        Console console = Console.system();
        // The host lock around everything below: a scheduled refresh and an admin's update or up never act at once.
        // The operation also writes the audit history line that `status` shows.
        try (HostOperation operation = OperationRunner.begin(lockOptions, host, state, command, dryRun, console)) {
            return run(command, operation, host, config, dryRun, timeoutSeconds, prune, verbose, console);
        }
    }

    private static int run(String command, HostOperation operation, Host host, InstallConfig config, boolean dryRun,
            int timeoutSeconds, boolean prune, boolean verbose, Console console) {
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        RunOptions options = new RunOptions(RunOptions.PullPolicy.ALWAYS, RunOptions.DockerSource.AUTO,
                Duration.ofSeconds(timeoutSeconds), false);
        PlanContext context = new PlanContext(config, host, gate, options, console::progress, DockerEngine::connect);
        HistoryLog history = new HistoryLog(host, HistoryLog.file(config));
        UpdateRun run = new UpdateRun();
        try {
            PlanRunner.run(context, Update.plan(context, run, prune), console, verbose);
            if (!dryRun) {
                history.append(command, "ok: " + run.summary());
            }
            operation.succeeded(!gate.changes().isEmpty(), run.summary());
            return 0;
        } catch (RuntimeException failure) {
            if (dryRun || !run.needsRollback()) {
                if (!dryRun && !(failure instanceof io.matrixinstall.plan.PreconditionException)) {
                    history.append(command, "FAILED: " + firstLine(failure));
                }
                operation.failed(failure);
                throw failure;
            }
            String why = firstLine(failure);
            console.line("the new release is not healthy (" + why + "): rolling back");
            try {
                String done = Update.rollBack(context, run);
                String line = "FAILED, rolled back: " + run.summary() + " was not healthy (" + why + "); " + done
                        + "; healthy again on the previous release";
                history.append(command, line);
                operation.finished("rolled back", line, java.util.Map.of());
                console.line(command + " " + line);
                if (verbose) {
                    failure.printStackTrace();
                }
                return MatrixInstall.FAILED;
            } catch (RuntimeException rollbackFailure) {
                history.append(command, "FAILED, rollback FAILED: " + run.summary() + ": " + firstLine(rollbackFailure));
                operation.failed(rollbackFailure);
                throw rollbackFailure;
            }
        } finally {
            context.close();
        }
    }

    private static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
    }
}
