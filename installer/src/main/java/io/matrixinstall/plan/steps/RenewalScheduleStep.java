package io.matrixinstall.plan.steps;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * acme mode: leaves the agent on the host and schedules {@code renew} twice a day, with a systemd timer, or a
 * cron entry where systemd does not run (the scheduling itself is {@link AgentSchedule}, shared with the
 * refresh schedule). {@code renew} runs with the configuration `up` records in the state dir.
 */
public final class RenewalScheduleStep implements Step {
    static final String UNIT = "matrix-install-renew";
    private final TemplateRenderer renderer;
    private final StateDir state;

    private final AgentOnHost agent;

    public RenewalScheduleStep(TemplateRenderer renderer, StateDir state) {
        this(renderer, state, new AgentOnHost(state));
    }

    /** {@code agent}: shared with the other schedule of the plan, so the host is asked about the agent once. */
    public RenewalScheduleStep(TemplateRenderer renderer, StateDir state, AgentOnHost agent) {
        this.renderer = renderer;
        this.state = state;
        this.agent = agent;
    }

    @Override
    public String name() {
        return "renewal schedule";
    }

    /** acme mode with a schedule: the renewal runs from the host's timer or cron entry. */
    static boolean wanted(InstallConfig config) {
        return config.tls().mode() == InstallConfig.TlsMode.ACME && !config.renewal().schedule().equals("none");
    }

    public static Path agentJar(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.jar");
    }

    public static Path renewLog(InstallConfig config) {
        return config.renewal().agentDir().resolve("renew.log");
    }

    @Override
    public void wants(PlanContext context, io.matrixinstall.plan.Wants wants) {
        new AgentSchedule(UNIT, "renewal").wants(context, wants);
        agent.wants(context, wants);
    }

    @Override
    public void run(PlanContext context) {
        InstallConfig config = context.config();
        AgentSchedule schedule = new AgentSchedule(UNIT, "renewal");
        if (!wanted(config)) {
            schedule.remove(context, config.tls().mode() != InstallConfig.TlsMode.ACME ? "tls.mode is " + config.tls().mode()
                    : "renewal.schedule is none");
            AgentSchedule.removeLegacyConfig(context, state);
            return;
        }
        Optional<String> java = agent.ensure(context);
        if (java.isEmpty()) {
            context.progress("not scheduling renewals: the agent is not running from its jar");
            return;
        }
        schedule.install(context, renderer, AgentSchedule.model(config, state, java.get(),
                Map.of("minute", Math.floorMod(config.domain().hashCode(), 60))), AgentSchedule.useSystemd(config, context.host()));
    }

    /** `uninstall`: removes the renewal and refresh schedules, whatever the mode. */
    public static void removeSchedule(PlanContext context, String why) {
        new AgentSchedule(UNIT, "renewal").remove(context, why);
        new AgentSchedule(RefreshScheduleStep.UNIT, "refresh").remove(context, why);
    }

    /** The jar this JVM runs from, if it runs from one (not from classes, as in unit tests). */
    static Optional<Path> runningJar() {
        try {
            Path location = Path.of(RenewalScheduleStep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") && Files.isRegularFile(location) ? Optional.of(location)
                    : Optional.empty();
        } catch (java.net.URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }
}
