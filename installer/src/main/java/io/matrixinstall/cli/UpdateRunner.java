package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.ops.AuditHistory;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.update.Update;
import io.matrixinstall.update.UpdateRun;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What `update` and `refresh` share: one run of the update plan in the frame, the rollback on failure, and the
 * history line of each outcome (`history` shows them): {@code ok} with what changed, {@code failed},
 * {@code rolled back} or {@code rollback failed}.
 */
final class UpdateRunner {
    private UpdateRunner() {}

    // The host lock around everything: a scheduled refresh and an admin's update or up never act at once. The
    // frame also writes the audit history line that `status` and `history` show.
    static int run(RunFrame frame, String command, HostLockOptions lockOptions, StateDir state, InstallConfig config,
            boolean dryRun, int timeoutSeconds, boolean prune) {
        RunOptions options = new RunOptions(RunOptions.PullPolicy.ALWAYS, RunOptions.DockerSource.AUTO,
                Duration.ofSeconds(timeoutSeconds), false);
        return frame.change(command, lockOptions, state).dryRun(dryRun).options(options)
                .run(config, context -> update(frame, command, context, dryRun, prune));
    }

    // A failure without a rollback leaves by the frame, which records it as `failed` with its first line.
    private static Outcome update(RunFrame frame, String command, PlanContext context, boolean dryRun, boolean prune) {
        UpdateRun run = new UpdateRun();
        Update update = new Update(run, prune);
        try {
            frame.plan(context, update.plan());
            // `ok` even when nothing changed: "update ok: no changes" is what an admin looks for after a refresh.
            return Outcome.of(context).result("ok").detail(run.summary()).images(images(run));
        } catch (RuntimeException failure) {
            if (dryRun || !run.needsRollback()) {
                throw failure;
            }
            String why = firstLine(failure);
            frame.console().line("the new release is not healthy (" + why + "): rolling back");
            try {
                String done = update.rollBack(context);
                String detail = run.summary() + " was not healthy (" + why + "); " + done + "; healthy again on the previous release";
                frame.trace(failure);
                return Outcome.of(context).result(AuditHistory.ROLLED_BACK).detail(detail)
                        .said(command + " FAILED, rolled back: " + detail).exit(MatrixInstall.FAILED);
            } catch (RuntimeException rollbackFailure) {
                throw Outcome.of(context).result(AuditHistory.ROLLBACK_FAILED)
                        .detail(run.summary() + ": " + firstLine(rollbackFailure)).failed(rollbackFailure);
            }
        }
    }

    /** Per service the update recreated: the digest it ran before and the one it runs now. */
    private static Map<String, AuditHistory.ImageChange> images(UpdateRun run) {
        Map<String, AuditHistory.ImageChange> images = new LinkedHashMap<>();
        run.changes().forEach(c -> images.put(c.service().name(), new AuditHistory.ImageChange(c.runningDigest(), c.newDigest())));
        return images;
    }

    private static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
    }
}
