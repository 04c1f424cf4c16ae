package io.matrixinstall.steps;

import io.matrixinstall.component.Schedule;
import io.matrixinstall.provision.InitSystem;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A recurring run of the agent left on the host ({@code renew}, {@code refresh}): a systemd service + timer where
 * systemd runs, else a cron entry, from the templates {@code host/UNIT.service|timer|cron.ftl}. One schedule kind
 * at a time: installing one removes the other. Shared by the renewal and refresh schedules.
 */
public final class AgentSchedule {
    private final String unit;
    private final String what;

    public AgentSchedule(String unit, String what) {
        this.unit = unit;
        this.what = what;
    }

    public static boolean systemdRuns(Host host) {
        return InitSystem.of(host) == InitSystem.SYSTEMD;
    }

    /** systemd or cron, from {@code renewal.schedule} (systemd, cron; otherwise whether systemd runs). */
    public static boolean useSystemd(InstallConfig config, Host host) {
        return switch (config.renewal().schedule()) {
            case "systemd" -> true;
            case "cron" -> false;
            default -> systemdRuns(host);
        };
    }

    /** Earlier versions kept a second copy of the configuration beside the jar; the state dir's is the one now. */
    static void removeLegacyConfig(PlanContext context, StateDir state) {
        removeFile(context, context.config().renewal().agentDir().resolve("matrix-install.yaml"),
                "the configuration is recorded in " + state.config());
    }

    /** What every schedule template gets, plus {@code extra}; {@code java} runs the agent there. */
    public static Map<String, Object> model(InstallConfig config, StateDir state, String java, Map<String, Object> extra) {
        Map<String, Object> model = new HashMap<>(Map.of("domain", config.domain(), "java", java,
                "agent_jar", Schedule.agentJar(config).toString(), "state_dir", state.dir().toString()));
        model.putAll(extra);
        return model;
    }

    public void install(PlanContext context, TemplateRenderer renderer, Map<String, Object> model, boolean systemd) {
        InstallConfig config = context.config();
        Host host = context.host();
        Path units = config.renewal().systemdDir();
        Path cronFile = config.renewal().cronDir().resolve(unit);
        if (systemd) {
            boolean changed = FileSync.file(context, units.resolve(unit + ".service"),
                    renderer.render("host/" + unit + ".service.ftl", model), Ownership.ROOT, Layout.PUBLIC_FILE);
            changed |= FileSync.file(context, units.resolve(unit + ".timer"),
                    renderer.render("host/" + unit + ".timer.ftl", model), Ownership.ROOT, Layout.PUBLIC_FILE);
            // Whether the timer runs is read from systemd, not inferred from this run's writes: a run killed
            // between writing the unit and enabling it is completed by the next one.
            if (changed || !timerActive(host)) {
                context.gate().submit("enable " + unit + ".timer (systemctl daemon-reload, enable --now)", () -> {
                    exec(host, Commands.systemdReload());
                    exec(host, Commands.enableService(unit + ".timer"));
                });
            }
            removeFile(context, cronFile, "scheduled by systemd instead");
        } else {
            FileSync.directory(context, new ManagedDirectory(config.renewal().cronDir(), Ownership.ROOT, Layout.DIR));
            FileSync.file(context, cronFile, renderer.render("host/" + unit + ".cron.ftl", model), Ownership.ROOT,
                    Layout.PUBLIC_FILE);
            removeTimer(context, systemdRuns(host), "scheduled by cron instead");
        }
    }

    /** What {@link #install} and {@link #remove} look at: the units, the cron entry, and whether the timer runs. */
    public void wants(PlanContext context, Wants wants) {
        InstallConfig config = context.config();
        Path units = config.renewal().systemdDir();
        wants.stat(units.resolve(unit + ".service"), units.resolve(unit + ".timer"), config.renewal().cronDir(),
                InitSystem.SYSTEMD_RUNTIME, config.renewal().agentDir().resolve("matrix-install.yaml"));
        wants.file(units.resolve(unit + ".service"), units.resolve(unit + ".timer"), config.renewal().cronDir().resolve(unit));
        if (!config.renewal().schedule().equals("cron")) { // a cron schedule never asks systemd (leftovers: the unit files)
            wants.ask(TimerStates.QUESTION, unit + ".timer");
        }
    }

    /** Removes the schedule (timer and cron entry), saying why. */
    public void remove(PlanContext context, String why) {
        removeTimer(context, systemdRuns(context.host()), why);
        removeFile(context, context.config().renewal().cronDir().resolve(unit), why);
    }

    private boolean timerActive(Host host) {
        return FactsHost.of(host).answer(TimerStates.QUESTION, unit + ".timer");
    }

    /** A schedule that is no longer wanted: stopped and disabled first where systemd runs, then its units removed. */
    private void removeTimer(PlanContext context, boolean systemdRuns, String why) {
        Path units = context.config().renewal().systemdDir();
        Path timer = units.resolve(unit + ".timer");
        if (context.host().stat(timer).isEmpty() && context.host().stat(units.resolve(unit + ".service")).isEmpty()) {
            return;
        }
        context.gate().submit("remove the " + what + " timer " + timer + " (" + why + ")", () -> {
            if (systemdRuns) {
                context.host().exec(Commands.disableService(unit + ".timer")); // absent or already off is fine
            }
            context.host().remove(timer);
            context.host().remove(units.resolve(unit + ".service"));
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

    private static void exec(Host host, Command command) {
        host.exec(command).requireOk(command);
    }
}
