package io.matrixinstall.cli;

import io.matrixinstall.component.Components;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import java.time.Duration;
import java.util.function.Function;

/** What `backup`, `restore` and `migrate` share: one plan in the frame, closed by a line saying what was done, and when. */
final class DataRunner {
    private DataRunner() {}

    /** @param done the closing line (and history detail) of an applied run, from the finished context */
    static int run(RunFrame frame, String command, HostLockOptions lockOptions, InstallConfig config, StateDir state,
            Plan plan, boolean dryRun, RunOptions options, Function<PlanContext, String> done) {
        return frame.change(command, lockOptions, state).dryRun(dryRun).options(options).run(config, context -> {
            frame.plan(context, plan);
            // A restore or migrate onto a fresh host switches optional components on: what they need, as `up` says it.
            return Outcome.of(context).changed(true).done(() -> done.apply(context) + frame.took())
                    .then(Components.notices(context.layout(), context.gate().recorded()));
        });
    }

    static RunOptions options(RunOptions.PullPolicy pull, int timeoutSeconds) {
        return new RunOptions(pull, RunOptions.DockerSource.AUTO, Duration.ofSeconds(timeoutSeconds), false);
    }
}
