package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Host;
import io.matrixinstall.ops.HostOperation;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import java.util.function.Function;

/** `backup`, `restore` and `migrate`: one plan under the host lock, one history line, one closing line. */
final class DataRunner {
    private DataRunner() {}

    /** @param done the closing line (and history detail) of an applied run, from the finished context */
    static int run(String command, HostLockOptions lockOptions, Host host, InstallConfig config, StateDir state, Plan plan,
            boolean dryRun, RunOptions options, boolean verbose, Function<PlanContext, String> done) {
        Console console = Console.system();
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        PlanContext context = new PlanContext(config, host, gate, options, console::progress, DockerEngine::connect);
        long start = System.nanoTime();
        String summary;
        try (HostOperation operation = OperationRunner.begin(lockOptions, host, state, command, dryRun, console)) {
            try {
                plan.run(context, (step, elapsed) -> {
                    if (verbose) {
                        console.progress(String.format("step %s: %.3f s", step.name(), elapsed.toNanos() / 1e9));
                    }
                });
                summary = dryRun ? gate.changes().size() + " change(s) would be made on " + host.name()
                        : done.apply(context) + String.format(" in %.1f s", (System.nanoTime() - start) / 1e9);
                operation.succeeded(true, summary);
            } catch (RuntimeException e) {
                operation.failed(e);
                throw e;
            }
        } finally {
            context.close();
        }
        console.line(summary);
        return 0;
    }

    static RunOptions options(RunOptions.PullPolicy pull, int timeoutSeconds) {
        return new RunOptions(pull, RunOptions.DockerSource.AUTO, java.time.Duration.ofSeconds(timeoutSeconds), false);
    }
}
