package io.matrixinstall.plan.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.render.TemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * acme mode: leaves the agent on the host with the configuration it ran with, and schedules
 * {@code renew} twice a day, with a systemd timer, or a cron entry where systemd does not run.
 */
public final class RenewalScheduleStep implements Step {
    static final String UNIT = "matrix-install-renew";
    private final TemplateRenderer renderer;
    private final io.matrixinstall.ops.StateDir state;

    /** {@code renew} runs with the configuration `up` records in {@code state} (one copy for every command). */
    public RenewalScheduleStep(TemplateRenderer renderer, io.matrixinstall.ops.StateDir state) {
        this.renderer = renderer;
        this.state = state;
    }

    @Override
    public String name() {
        return "renewal schedule";
    }

    public static Path agentJar(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.jar");
    }

    /** Where earlier versions kept a second copy of the configuration for `renew`; now the state dir's is used. */
    static Path legacyAgentConfig(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.yaml");
    }

    public static Path renewLog(InstallConfig config) {
        return config.renewal().agentDir().resolve("renew.log");
    }

    @Override
    public void run(PlanContext context) {
        InstallConfig config = context.config();
        Host host = context.host();
        Path units = config.renewal().systemdDir();
        Path cronFile = config.renewal().cronDir().resolve(UNIT);
        boolean systemdRuns = host.stat(Path.of("/run/systemd/system")).isPresent();
        if (config.tls().mode() != InstallConfig.TlsMode.ACME || config.renewal().schedule().equals("none")) {
            String why = config.tls().mode() != InstallConfig.TlsMode.ACME ? "tls.mode is " + config.tls().mode()
                    : "renewal.schedule is none";
            removeTimer(context, units, systemdRuns, why);
            removeFile(context, cronFile, why);
            removeFile(context, legacyAgentConfig(config), "the configuration is recorded in " + state.config());
            return;
        }
        Optional<Path> runningJar = runningJar();
        if (runningJar.isEmpty()) {
            context.progress("not scheduling renewals: the agent is not running from its jar");
            return;
        }
        FileSync.directory(context, new ManagedDirectory(config.renewal().agentDir(), Ownership.ROOT, Layout.DIR));
        FileSync.file(context, agentJar(config), read(runningJar.get()), Ownership.ROOT, Layout.PUBLIC_FILE);
        removeFile(context, legacyAgentConfig(config), "renew reads the configuration recorded in " + state.config());
        Map<String, Object> model = Map.of("domain", config.domain(), "java", javaCommand(),
                "agent_jar", agentJar(config).toString(), "state_dir", state.dir().toString(),
                "minute", Math.floorMod(config.domain().hashCode(), 60));
        boolean systemd = switch (config.renewal().schedule()) {
            case "systemd" -> true;
            case "cron" -> false;
            default -> systemdRuns;
        };
        if (systemd) {
            boolean changed = FileSync.file(context, units.resolve(UNIT + ".service"),
                    renderer.render("host/matrix-install-renew.service.ftl", model), Ownership.ROOT, Layout.PUBLIC_FILE);
            changed |= FileSync.file(context, units.resolve(UNIT + ".timer"),
                    renderer.render("host/matrix-install-renew.timer.ftl", model), Ownership.ROOT, Layout.PUBLIC_FILE);
            // Whether the timer runs is read from systemd, not inferred from this run's writes: a run killed
            // between writing the unit and enabling it is completed by the next one.
            if (changed || !timerActive(host)) {
                context.gate().submit("enable " + UNIT + ".timer (systemctl daemon-reload, enable --now)", () -> {
                    exec(host, Commands.systemdReload());
                    exec(host, Commands.enableService(UNIT + ".timer"));
                });
            }
            removeFile(context, cronFile, "scheduled by systemd instead");
        } else {
            FileSync.directory(context, new ManagedDirectory(config.renewal().cronDir(), Ownership.ROOT, Layout.DIR));
            FileSync.file(context, cronFile,
                    renderer.render("host/matrix-install-renew.cron.ftl", model), Ownership.ROOT, Layout.PUBLIC_FILE);
            removeTimer(context, units, systemdRuns, "scheduled by cron instead");
        }
    }

    /** `uninstall`: removes the renewal timer or cron entry, whatever the mode. */
    public static void removeSchedule(PlanContext context, String why) {
        InstallConfig config = context.config();
        boolean systemdRuns = context.host().stat(Path.of("/run/systemd/system")).isPresent();
        removeTimer(context, config.renewal().systemdDir(), systemdRuns, why);
        removeFile(context, config.renewal().cronDir().resolve(UNIT), why);
        removeFile(context, legacyAgentConfig(config), why);
    }

    private static boolean timerActive(Host host) {
        return host.exec(Commands.systemctlIsEnabled(UNIT + ".timer")).ok()
                && host.exec(Commands.systemctlIsActive(UNIT + ".timer")).ok();
    }

    /** A schedule that is no longer wanted: stopped and disabled first where systemd runs, then its units removed. */
    private static void removeTimer(PlanContext context, Path units, boolean systemdRuns, String why) {
        Path timer = units.resolve(UNIT + ".timer");
        if (context.host().stat(timer).isEmpty() && context.host().stat(units.resolve(UNIT + ".service")).isEmpty()) {
            return;
        }
        context.gate().submit("remove the renewal timer " + timer + " (" + why + ")", () -> {
            if (systemdRuns) {
                context.host().exec(Commands.disableService(UNIT + ".timer")); // absent or already off is fine
            }
            context.host().remove(timer);
            context.host().remove(units.resolve(UNIT + ".service"));
            if (systemdRuns) {
                exec(context.host(), Commands.systemdReload());
            }
        });
    }

    private static void removeFile(PlanContext context, Path file, String why) {
        if (context.host().stat(file).isPresent()) {
            context.gate().submit("remove " + file + " (" + why + ")", () -> context.host().remove(file));
        }
    }

    private static void exec(Host host, io.matrixinstall.command.Command command) {
        host.exec(command).requireOk(command);
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

    private static byte[] read(Path jar) {
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new StepFailedException("cannot read the agent's own jar " + jar + ": " + e.getMessage());
        }
    }

    /** The Java that runs the agent now runs it later too. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
