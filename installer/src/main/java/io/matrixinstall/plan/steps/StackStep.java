package io.matrixinstall.plan.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.proxy.ProxyFlavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Brings one compose project to its wanted state, and only when it is not there: `compose up -d` when
 * its definition changed, a service is missing or stopped, or runs an older image than the local tag;
 * then restarts services whose bind-mounted config changed but which compose left alone.
 * A converged stack is not touched, so a second `up` restarts nothing.
 */
public final class StackStep implements Step {
    private final String label;
    private final Function<PlanContext, String> project;
    private final Function<PlanContext, Path> composeFile;
    private final Function<PlanContext, List<Path>> definitionFiles;
    private final Function<PlanContext, Map<String, String>> serviceImages;
    private final Refresh refresh;

    /** How services pick up changed bind-mounted files. */
    private interface Refresh {
        io.matrixinstall.command.Command command(PlanContext context, String project, Path file, List<String> services);

        /** The change line's verb. */
        default String verb(PlanContext context) {
            return "restart";
        }

        /** Just before the command runs (the proxy's readiness wait looks for a reload after it). */
        default void sent(PlanContext context) {}
    }

    private StackStep(String label, Function<PlanContext, String> project, Function<PlanContext, Path> composeFile,
            Function<PlanContext, List<Path>> definitionFiles, Function<PlanContext, Map<String, String>> serviceImages,
            Refresh refresh) {
        this.label = label;
        this.project = project;
        this.composeFile = composeFile;
        this.definitionFiles = definitionFiles;
        this.serviceImages = serviceImages;
        this.refresh = refresh;
    }

    /** db, synapse and element from {base_dir}/docker-compose.yml. */
    public static StackStep matrix() {
        return new StackStep("matrix stack", c -> c.config().projects().matrix(), c -> c.layout().composeFile(),
                c -> List.of(c.layout().composeFile()),
                c -> Map.of("db", c.config().images().postgres(), "synapse", c.config().images().synapse(),
                        "element", c.config().images().element()),
                (c, project, file, services) -> Commands.composeRestart(c.compose(), project, file, services));
    }

    /** nginx from /root/nginx/compose.yml. */
    public static StackStep proxy() {
        return new StackStep("nginx stack", c -> c.config().projects().proxy(), c -> c.layout().proxyCompose(),
                c -> List.of(c.layout().proxyCompose(), c.layout().certbotEnv()),
                c -> Map.of("nginx", c.config().proxyImage()),
                // Server blocks and certificates: the way the proxy image takes them without dropping connections.
                new Refresh() {
                    @Override
                    public io.matrixinstall.command.Command command(PlanContext c, String project, Path file,
                            List<String> services) {
                        return ProxyFlavor.of(c.config()).refresh(c.compose(), project, file);
                    }

                    @Override
                    public String verb(PlanContext c) {
                        return ProxyFlavor.of(c.config()).refreshVerb();
                    }

                    @Override
                    public void sent(PlanContext c) {
                        c.proxySignalled(java.time.Instant.now());
                    }
                });
    }

    @Override
    public String name() {
        return label;
    }

    @Override
    public void run(PlanContext context) {
        Path file = composeFile.apply(context);
        String name = project.apply(context);
        Map<String, String> wanted = serviceImages.apply(context);
        Map<String, ServiceContainer> running = context.engineAvailable()
                ? context.docker().projectContainers(name).stream()
                        .collect(Collectors.toMap(ServiceContainer::service, c -> c, (a, b) -> a))
                : Map.of();
        List<String> reasons = new ArrayList<>();
        if (definitionFiles.apply(context).stream().anyMatch(context::changed)) {
            reasons.add("definition changed");
        }
        for (Map.Entry<String, String> service : wanted.entrySet()) {
            ServiceContainer container = running.get(service.getKey());
            if (container == null || !container.running()) {
                reasons.add(service.getKey() + " not running");
            } else if (!context.docker().imageId(service.getValue()).map(container.imageId()::equals).orElse(true)) {
                reasons.add(service.getKey() + " has a newer image");
            }
        }
        if (!reasons.isEmpty()) {
            context.gate().submit("start " + label + " (compose up -d: " + String.join(", ", reasons) + ")", () -> {
                context.progress("starting " + label + " ...");
                exec(context, Commands.composeUp(context.compose(), name, file));
            });
        }
        List<String> restart = new ArrayList<>();
        for (String service : context.servicesToRestart()) {
            ServiceContainer before = running.get(service);
            boolean recreated = before == null || !reasons.isEmpty() && !stillSame(context, name, before);
            if (wanted.containsKey(service) && !recreated) {
                restart.add(service);
            }
        }
        if (!restart.isEmpty()) {
            io.matrixinstall.command.Command command = refresh.command(context, name, file, restart);
            context.gate().submit(refresh.verb(context) + " " + String.join(", ", restart)
                    + " (configuration changed)", () -> {
                        refresh.sent(context);
                        exec(context, command);
                    });
        }
    }

    /** After `compose up`, whether a service still runs in the container it had before. */
    private static boolean stillSame(PlanContext context, String project, ServiceContainer before) {
        if (!context.gate().applies()) {
            return true;
        }
        Set<String> ids = context.docker().projectContainers(project).stream().map(ServiceContainer::id)
                .collect(Collectors.toSet());
        return ids.contains(before.id());
    }

    private static void exec(PlanContext context, io.matrixinstall.command.Command command) {
        context.host().exec(command).requireOk(command);
    }
}
