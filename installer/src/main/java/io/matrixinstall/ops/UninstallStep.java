package io.matrixinstall.ops;

import io.matrixinstall.component.Schedule;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.steps.ScheduleStep;
import java.nio.file.Path;
import java.util.List;

/**
 * `uninstall`: removes the containers and networks of both stacks (proxy first), the schedules with the agent
 * copy they run, and the recorded configuration. Volumes (the database), base_dir and the certificates stay
 * unless {@code purge}; then they go too, and the whole state directory with its history, except base_dir/backups
 * (the backups and the dumps `update` and `db upgrade` took), which only {@code purgeBackups} deletes as well.
 */
public final class UninstallStep implements Step {
    private final StateDir state;
    private final boolean purge;
    private final boolean purgeBackups;
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's. */
    public UninstallStep(StateDir state, boolean purge, boolean purgeBackups, Output<ComposeCli> compose) {
        this.state = state;
        this.purge = purge;
        this.purgeBackups = purgeBackups;
        this.compose = compose;
    }

    /** Whether the data purge keeps {@link Layout#backupsDir()}, there on the host now. */
    public boolean keepsBackups(PlanContext context) {
        return purge && !purgeBackups && context.host().stat(context.layout().backupsDir()).isPresent();
    }

    @Override
    public String name() {
        return "uninstall";
    }

    @Override
    public void run(PlanContext context) {
        Layout layout = context.layout();
        removeStack(context, context.config().projects().proxy(), layout.proxyCompose(), "nginx stack");
        removeStack(context, context.config().projects().matrix(), layout.composeFile(), "matrix stack");
        ScheduleStep.removeSchedules(context, "uninstall");
        Path agentDir = context.config().renewal().agentDir();
        for (Path file : List.of(Schedule.agentJar(context.config()), Schedule.agentJarRecord(context.config()),
                Schedule.renewLog(context.config()))) {
            removeFile(context, file);
        }
        if (context.host().stat(agentDir).isPresent() && context.host().list(agentDir).isEmpty()) {
            context.gate().submit("remove " + agentDir, () -> context.host().remove(agentDir));
        }
        if (!purge) {
            removeFile(context, state.config());
            return;
        }
        // `compose down --volumes` knows only the configured major's volume; `db upgrade` may have kept another.
        for (String major : InstallConfig.POSTGRES_VERSIONS) {
            String volume = layout.databaseVolume(Integer.parseInt(major));
            if (Integer.parseInt(major) != context.config().postgresVersion() && context.docker().volumeExists(volume)) {
                context.gate().submit("remove volume " + volume + " (PostgreSQL " + major + " data kept by `db upgrade`)", () -> {
                    Command rm = Commands.volumeRemove(volume);
                    context.host().exec(rm).requireOk(rm);
                });
            }
        }
        boolean keepBackups = keepsBackups(context);
        for (Path tree : List.of(layout.baseDir(), layout.proxyDataDir(), layout.proxyDir(), state.dir())) {
            if (context.host().stat(tree).isEmpty()) {
                continue;
            }
            if (tree.equals(layout.baseDir()) && keepBackups) {
                Path backups = layout.backupsDir();
                List<Path> rest = context.host().list(tree).stream().map(tree::resolve).filter(p -> !p.equals(backups)).toList();
                if (!rest.isEmpty()) {
                    context.gate().submit("remove everything in " + tree + " but " + backups + " ("
                            + String.join(", ", rest.stream().map(p -> p.getFileName().toString()).toList()) + ")",
                            () -> rest.forEach(p -> removeTree(context, p)));
                }
            } else {
                context.gate().submit("remove " + tree + " and everything in it", () -> removeTree(context, tree));
            }
        }
    }

    private static void removeTree(PlanContext context, Path tree) {
        Command rm = Commands.removeTree(tree);
        context.host().exec(rm).requireOk(rm);
    }

    private void removeStack(PlanContext context, String project, Path composeFile, String label) {
        List<String> ids = context.docker().projectContainers(project).stream().map(ServiceContainer::id).toList();
        boolean haveFile = context.host().stat(composeFile).isPresent();
        List<String> volumes = purge && haveFile ? volumes(context, project) : List.of();
        if (ids.isEmpty() && volumes.isEmpty()) {
            return;
        }
        String what = !purge ? "; volumes stay" : volumes.isEmpty() ? "" : ", volumes " + String.join(", ", volumes);
        context.gate().submit("remove the " + label + " (containers, networks" + what + ")",
                () -> {
                    Command command = haveFile ? Commands.composeDown(compose.get(), project, composeFile, purge)
                            : Commands.removeContainers(ids);
                    context.host().exec(command).requireOk(command);
                });
    }

    /** The project's named volumes (Compose labels them). */
    static List<String> volumes(PlanContext context, String project) {
        var result = context.host().exec(Commands.projectVolumes(project));
        return result.ok() ? result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList() : List.of();
    }

    private static void removeFile(PlanContext context, Path file) {
        if (context.host().stat(file).filter(s -> !s.directory()).isPresent()) {
            context.gate().submit("remove " + file, () -> context.host().remove(file));
        }
    }
}
