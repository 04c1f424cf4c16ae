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
        ChangeGate gate = context.gate();
        plan.run(context);
        if (gate.changes().isEmpty()) {
            console.line("no changes");
        } else if (!gate.applies()) {
            console.line(gate.changes().size() + " change(s) would be made on " + context.host().name());
        }
    }
}
