package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.plan.PlanContext;

/** Versions of the running parts, for a backup's manifest. */
final class Versions {
    private Versions() {}

    /** Synapse's own version string, or "unknown" when its container does not run (the backup is still good). */
    static String synapse(PlanContext context) {
        return SynapseDatabase.container(context, "synapse").filter(ServiceContainer::running).map(c -> {
            Command command = Commands.synapseVersion(c.id());
            ExecResult result = context.host().exec(command);
            return result.ok() ? result.stdout().strip() : "unknown";
        }).orElse("unknown");
    }
}
