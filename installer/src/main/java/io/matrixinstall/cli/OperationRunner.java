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
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.steps.LocateDockerStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one host-changing operation on an installed server (start, stop, restart): finds the engine `up` set up
 * (installs nothing), runs the steps through the gate, and frames it as a {@link HostOperation} (host lock,
 * history line). A dry run only lists the changes and records nothing.
 */
final class OperationRunner {
    private OperationRunner() {}

    /**
     * The one call a host-changing command makes first: takes the host lock (waiting as --wait says) and opens its
     * history line; a dry run holds the lock too (it must not report a half-applied state) and records nothing.
     */
    static HostOperation begin(HostLockOptions lockOptions, Host host, StateDir state, String command, boolean dryRun,
            Console console) {
        return HostOperation.begin(host, state, command,
                lockOptions.acquire(host, dryRun ? command + " --dry-run" : command, console), !dryRun, console::problem);
    }

    static int run(HostLockOptions lockOptions, Host host, InstallConfig config, StateDir state, String command,
            List<Step> steps, boolean dryRun, Duration timeout, String unchanged) {
        Console console = Console.system();
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        RunOptions options = new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DOCKER, timeout, false);
        PlanContext context = new PlanContext(config, host, gate, options, console::progress, DockerEngine::connect);
        List<Step> all = new ArrayList<>(List.of(new LocateDockerStep()));
        all.addAll(steps);
        try (HostOperation operation = begin(lockOptions, host, state, command, dryRun, console)) {
            try {
                new Plan(all).run(context);
                operation.succeeded(!gate.changes().isEmpty(), String.join("; ", gate.changes()));
            } catch (RuntimeException e) {
                operation.failed(e);
                throw e;
            }
        } finally {
            context.close();
        }
        if (gate.changes().isEmpty()) {
            console.line(unchanged + ": no changes");
        } else if (!gate.applies()) {
            console.line(gate.changes().size() + " change(s) would be made on " + host.name());
        }
        return 0;
    }
}
