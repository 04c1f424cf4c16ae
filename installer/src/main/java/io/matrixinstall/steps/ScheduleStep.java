package io.matrixinstall.steps;

import io.matrixinstall.component.Schedule;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Leaves the agent on the host and installs one {@link Schedule} (renewal, refresh) with a systemd timer, or a cron
 * entry where systemd does not run (the scheduling itself is {@link AgentSchedule}); removes it, saying why, once
 * its component is off. The scheduled command runs with the configuration `up` records in the state dir.
 */
public final class ScheduleStep implements Step {
    private final Schedule schedule;
    private final TemplateRenderer renderer;
    private final StateDir state;
    private final AgentOnHost agent;

    public ScheduleStep(Schedule schedule, TemplateRenderer renderer, StateDir state) {
        this(schedule, renderer, state, new AgentOnHost(state));
    }

    /** {@code agent}: shared with the other schedule of the plan, so the host is asked about the agent once. */
    public ScheduleStep(Schedule schedule, TemplateRenderer renderer, StateDir state, AgentOnHost agent) {
        this.schedule = schedule;
        this.renderer = renderer;
        this.state = state;
        this.agent = agent;
    }

    @Override
    public String name() {
        return schedule.name();
    }

    private AgentSchedule agentSchedule() {
        return new AgentSchedule(schedule.unit(), schedule.what());
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        agentSchedule().wants(context, wants);
        agent.wants(context, wants);
    }

    @Override
    public void run(PlanContext context) {
        InstallConfig config = context.config();
        if (!schedule.enabled(config)) {
            agentSchedule().remove(context, schedule.disabledBecause(config));
            AgentSchedule.removeLegacyConfig(context, state);
            return;
        }
        Optional<String> java = agent.ensure(context);
        if (java.isEmpty()) {
            context.progress("not scheduling the " + schedule.what() + ": the agent is not running from its jar");
            return;
        }
        agentSchedule().install(context, renderer, AgentSchedule.model(config, state, java.get(), schedule.timing(config)),
                AgentSchedule.useSystemd(config, context.host()));
    }

    /** `uninstall`: removes every schedule, whatever the configuration. */
    public static void removeSchedules(PlanContext context, String why) {
        for (Schedule schedule : Schedule.ALL) {
            new AgentSchedule(schedule.unit(), schedule.what()).remove(context, why);
        }
    }

    /** The jar this JVM runs from, if it runs from one (not from classes, as in unit tests). */
    static Optional<Path> runningJar() {
        try {
            Path location = Path.of(ScheduleStep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") && Files.isRegularFile(location) ? Optional.of(location)
                    : Optional.empty();
        } catch (java.net.URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }
}
