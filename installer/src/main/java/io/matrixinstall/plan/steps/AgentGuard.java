package io.matrixinstall.plan.steps;

import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.Wants;

/**
 * Before anything changes: the paths root's schedules would run (the Java, the agent's jar, the recorded
 * configuration) are root's alone, or the run stops in one line (see {@link AgentOnHost#verify}). Shares the
 * plan's {@link AgentOnHost}, so the schedule steps do not ask again.
 */
public final class AgentGuard implements Step {
    private final AgentOnHost agent;

    public AgentGuard(AgentOnHost agent) {
        this.agent = agent;
    }

    @Override
    public String name() {
        return "schedule paths";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        agent.verifyWants(context, wants);
    }

    @Override
    public void run(PlanContext context) {
        agent.verify(context);
    }
}
