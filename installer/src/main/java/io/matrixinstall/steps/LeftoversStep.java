package io.matrixinstall.steps;

import io.matrixinstall.engine.ProjectContainers;
import io.matrixinstall.command.Commands;
import io.matrixinstall.component.Component;
import io.matrixinstall.component.Components;
import io.matrixinstall.component.Leftover;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.Wants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes what an earlier configuration made and this one no longer wants, each as a change of its own
 * (so `--dry-run` lists it): the {@link Component#leftovers} of every switched-off component (the public proxy
 * when tls.mode became none, another mode's settings file) and the {@link Component#obsolete} files of the
 * enabled ones (server blocks this agent wrote for a previous domain, files of an older layout). Data stays:
 * volumes, certificates and anything the agent did not write (a server block without its marker) are left alone.
 */
public final class LeftoversStep implements Step {
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's (none: no engine yet, so no project to stop). */
    public LeftoversStep(Output<ComposeCli> compose) {
        this.compose = compose;
    }
    /** Every server block the agent writes carries this line (templates/nginx/server.conf.ftl). */
    static final String MANAGED_MARKER = "Managed by matrix-install.";

    @Override
    public String name() {
        return "leftovers";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        for (Leftover leftover : all(context)) {
            switch (leftover.kind()) {
                case FILE -> wants.stat(leftover.path());
                case MANAGED_FILES_IN -> wants.list(leftover.path());
                case DIRECTORY -> wants.list(leftover.path()).stat(leftover.path());
                case PROJECT -> {
                    wants.ask(ProjectContainers.QUESTION, leftover.project());
                    wants.stat(leftover.path());
                }
            }
        }
    }

    /** What the components say, each with its reason: a disabled one's leftovers, an enabled one's obsolete files. */
    private static List<Leftover> all(PlanContext context) {
        Layout layout = context.layout();
        return Components.ALL.stream().flatMap(component -> component.enabled(context.config())
                ? component.obsolete(layout).stream()
                : component.leftovers(layout).stream().map(l -> l.why().isEmpty()
                        ? l.because(component.disabledBecause(context.config())) : l))
                .toList();
    }

    @Override
    public void run(PlanContext context) {
        Set<Path> wanted = Components.files(context.layout()).stream().map(RenderedFile::path).collect(Collectors.toSet());
        Set<Path> removed = new HashSet<>(); // this run's, so a dry run lists the directory emptied before it too
        for (Leftover leftover : all(context)) {
            switch (leftover.kind()) {
                case FILE -> {
                    if (remove(context, leftover.path(), leftover.why())) {
                        removed.add(leftover.path());
                    }
                }
                case MANAGED_FILES_IN -> removeManaged(context, leftover, wanted);
                case DIRECTORY -> removeDirectory(context, leftover, removed);
                case PROJECT -> stopProject(context, leftover);
            }
        }
    }

    private static void removeDirectory(PlanContext context, Leftover leftover, Set<Path> removed) {
        Path dir = leftover.path();
        boolean empty = context.host().list(dir).stream().allMatch(name -> removed.contains(dir.resolve(name)));
        if (empty && context.host().stat(dir).filter(state -> state.directory()).isPresent()) {
            context.gate().submit("remove directory " + dir + " (" + leftover.why() + ")", () -> context.host().remove(dir));
        }
    }

    private static void removeManaged(PlanContext context, Leftover leftover, Set<Path> wanted) {
        Host host = context.host();
        for (String name : host.list(leftover.path())) {
            Path file = leftover.path().resolve(name);
            boolean ours = name.endsWith(".conf") && host.read(file)
                    .map(b -> new String(b, StandardCharsets.UTF_8).contains(MANAGED_MARKER)).orElse(false);
            if (ours && !wanted.contains(file)) {
                remove(context, file, leftover.why());
            }
        }
    }

    /** Removes the file when it is there; whether it was. */
    private static boolean remove(PlanContext context, Path path, String why) {
        if (context.host().stat(path).filter(state -> !state.directory()).isPresent()) {
            context.gate().submit("remove " + path + " (" + why + ")", () -> context.host().remove(path));
            return true;
        }
        return false;
    }

    private void stopProject(PlanContext context, Leftover leftover) {
        if (!compose.present()) {
            return;
        }
        List<String> ids = context.docker().projectContainers(leftover.project()).stream().map(ServiceContainer::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        Path file = leftover.path();
        boolean haveFile = context.host().stat(file).isPresent();
        context.gate().submit("stop and remove the " + leftover.label() + " (" + leftover.why() + "; its volumes stay)", () -> {
            Command command = haveFile ? Commands.composeDown(compose.get(), leftover.project(), file)
                    : Commands.removeContainers(ids);
            context.host().exec(command).requireOk(command);
        });
    }
}
