package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;

/** Runs a plan and closes with the one summary line operators and tests look for. */
final class PlanRunner {
    private PlanRunner() {}

    static PlanContext run(InstallConfig config, Host host, Plan plan, ChangeGate gate, Console console) {
        PlanContext context = new PlanContext(config, host, gate);
        run(context, plan, console);
        return context;
    }

    static void run(PlanContext context, Plan plan, Console console) {
        run(context, plan, console, false);
    }

    static void run(PlanContext context, Plan plan, Console console, boolean timings) {
        ChangeGate gate = context.gate();
        plan.run(context, (step, elapsed) -> {
            if (timings) {
                console.progress(String.format("step %s: %.3f s", step.name(), elapsed.toNanos() / 1e9));
            }
        });
        if (gate.changes().isEmpty()) {
            console.line("no changes");
        } else if (!gate.applies()) {
            console.line(gate.changes().size() + " change(s) would be made on " + context.host().name());
        }
    }
}
