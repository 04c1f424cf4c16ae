package io.matrixinstall.plan.steps;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import java.util.Map;
import java.util.Optional;

/**
 * Schedules {@code refresh} (the unattended update) once a day beside the renewal schedule: systemd timer or cron
 * entry, at a minute and hour derived from the domain so that many servers do not hit a registry at once.
 * {@code refresh.schedule: off} removes it.
 */
public final class RefreshScheduleStep implements Step {
    static final String UNIT = "matrix-install-refresh";
    private final TemplateRenderer renderer;
    private final io.matrixinstall.ops.StateDir state;

    private final AgentOnHost agent;

    public RefreshScheduleStep(TemplateRenderer renderer, io.matrixinstall.ops.StateDir state) {
        this(renderer, state, new AgentOnHost(state));
    }

    /** {@code agent}: shared with the other schedule of the plan, so the host is asked about the agent once. */
    public RefreshScheduleStep(TemplateRenderer renderer, io.matrixinstall.ops.StateDir state, AgentOnHost agent) {
        this.renderer = renderer;
        this.state = state;
        this.agent = agent;
    }

    @Override
    public String name() {
        return "refresh schedule";
    }

    static boolean wanted(InstallConfig config) {
        return !config.refreshSchedule().equals("off");
    }

    @Override
    public void wants(PlanContext context, io.matrixinstall.plan.Wants wants) {
        new AgentSchedule(UNIT, "refresh").wants(context, wants);
        agent.wants(context, wants);
    }

    @Override
    public void run(PlanContext context) {
        InstallConfig config = context.config();
        AgentSchedule schedule = new AgentSchedule(UNIT, "refresh");
        if (!wanted(config)) {
            schedule.remove(context, "refresh.schedule is off");
            return;
        }
        Optional<String> java = agent.ensure(context);
        if (java.isEmpty()) {
            context.progress("not scheduling refreshes: the agent is not running from its jar");
            return;
        }
        // Night hours (1-5) in the host's time, away from the renewal runs at 3 and 15 only by the minute.
        int hash = Math.floorMod((config.domain() + "/refresh").hashCode(), 60 * 5);
        schedule.install(context, renderer, AgentSchedule.model(config, state, java.get(), Map.of("minute", hash % 60, "hour", 1 + hash / 60)),
                AgentSchedule.useSystemd(config, context.host()));
    }
}
