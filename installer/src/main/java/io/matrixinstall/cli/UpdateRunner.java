package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.update.HistoryLog;
import io.matrixinstall.update.Update;
import io.matrixinstall.update.UpdateRun;
import java.time.Duration;

/** What `update` and `refresh` share: one run of the update plan in the frame, the rollback on failure, the update log. */
final class UpdateRunner {
    private UpdateRunner() {}

    // The host lock around everything: a scheduled refresh and an admin's update or up never act at once. The
    // frame also writes the audit history line that `status` shows.
    static int run(RunFrame frame, String command, HostLockOptions lockOptions, StateDir state, InstallConfig config,
            boolean dryRun, int timeoutSeconds, boolean prune) {
        RunOptions options = new RunOptions(RunOptions.PullPolicy.ALWAYS, RunOptions.DockerSource.AUTO,
                Duration.ofSeconds(timeoutSeconds), false);
        return frame.change(command, lockOptions, state).dryRun(dryRun).options(options)
                .run(config, context -> update(frame, command, context, dryRun, prune));
    }

    private static Outcome update(RunFrame frame, String command, PlanContext context, boolean dryRun, boolean prune) {
        HistoryLog history = new HistoryLog(context.host(), HistoryLog.file(context.config()));
        UpdateRun run = new UpdateRun();
        Update update = new Update(run, prune);
        try {
            frame.plan(context, update.plan());
            if (!dryRun) {
                history.append(command, "ok: " + run.summary());
            }
            return Outcome.of(context).detail(run.summary());
        } catch (RuntimeException failure) {
            if (dryRun || !run.needsRollback()) {
                if (!dryRun && !(failure instanceof PreconditionException)) {
                    history.append(command, "FAILED: " + firstLine(failure));
                }
                throw failure;
            }
            String why = firstLine(failure);
            frame.console().line("the new release is not healthy (" + why + "): rolling back");
            try {
                String done = update.rollBack(context);
                String line = "FAILED, rolled back: " + run.summary() + " was not healthy (" + why + "); " + done
                        + "; healthy again on the previous release";
                history.append(command, line);
                frame.trace(failure);
                return Outcome.of(context).result("rolled back").detail(line).said(command + " " + line)
                        .exit(MatrixInstall.FAILED);
            } catch (RuntimeException rollbackFailure) {
                history.append(command, "FAILED, rollback FAILED: " + run.summary() + ": " + firstLine(rollbackFailure));
                throw rollbackFailure;
            }
        }
    }

    private static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
    }
}
