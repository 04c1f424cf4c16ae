package io.matrixinstall.plan.steps;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * acme mode: leaves the agent on the host with the configuration it ran with, and schedules
 * {@code renew} twice a day, with a systemd timer, or a cron entry where systemd does not run
 * (the scheduling itself is {@link AgentSchedule}, shared with the refresh schedule).
 */
public final class RenewalScheduleStep implements Step {
    static final String UNIT = "matrix-install-renew";
    private final TemplateRenderer renderer;

    public RenewalScheduleStep(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public String name() {
        return "renewal schedule";
    }

    public static Path agentJar(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.jar");
    }

    public static Path agentConfig(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.yaml");
    }

    public static Path renewLog(InstallConfig config) {
        return config.renewal().agentDir().resolve("renew.log");
    }

    @Override
    public void run(PlanContext context) {
        InstallConfig config = context.config();
        AgentSchedule schedule = new AgentSchedule(UNIT, "renewal");
        if (config.tls().mode() != InstallConfig.TlsMode.ACME || config.renewal().schedule().equals("none")) {
            schedule.remove(context, config.tls().mode() != InstallConfig.TlsMode.ACME ? "tls.mode is " + config.tls().mode()
                    : "renewal.schedule is none");
            return;
        }
        if (!AgentSchedule.installAgent(context, renderer)) {
            context.progress("not scheduling renewals: the agent is not running from its jar");
            return;
        }
        schedule.install(context, renderer, AgentSchedule.model(config, Map.of("minute", Math.floorMod(config.domain().hashCode(), 60))),
                AgentSchedule.useSystemd(config, context.host()));
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
