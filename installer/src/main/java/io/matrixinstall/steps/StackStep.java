package io.matrixinstall.steps;

import java.util.LinkedHashMap;
import io.matrixinstall.component.Components;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.render.WantedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Brings one compose project to its wanted state, decided only from what the engine runs: `compose up -d`
 * when a service is missing or stopped, runs an older image than the local tag, or was created from
 * other inputs than the files on disk (its inputs label, see {@link WantedFiles}). Compose then recreates
 * exactly those containers. A converged stack is not touched, so a second `up` restarts nothing, and a
 * run killed between writing a file and recreating its container is completed by the next one.
 */
public final class StackStep implements Step {
    private final String label;
    private final TemplateRenderer renderer;
    private final Function<PlanContext, String> project;
    private final Function<PlanContext, Path> composeFile;
    private final Function<PlanContext, Map<String, String>> serviceImages;
    private final Consumer<PlanContext> afterStart;

    private StackStep(String label, TemplateRenderer renderer, Function<PlanContext, String> project,
            Function<PlanContext, Path> composeFile, Function<PlanContext, Map<String, String>> serviceImages,
            Consumer<PlanContext> afterStart) {
        this.label = label;
        this.renderer = renderer;
        this.project = project;
        this.composeFile = composeFile;
        this.serviceImages = serviceImages;
        this.afterStart = afterStart;
    }

    /** db, synapse and element from {base_dir}/docker-compose.yml. */
    public static StackStep matrix(TemplateRenderer renderer) {
        return new StackStep("matrix stack", renderer, c -> c.config().projects().matrix(), c -> c.layout().composeFile(),
                c -> images(c, c.config().projects().matrix()),
                c -> {});
    }

    /** nginx from /root/nginx/compose.yml; a (re)started nginx has loaded the files on disk, which is recorded. */
    public static StackStep proxy(TemplateRenderer renderer) {
        return new StackStep("nginx stack", renderer, c -> c.config().projects().proxy(), c -> c.layout().proxyCompose(),
                c -> images(c, c.config().projects().proxy()), ProxyInputs::recordStarted);
    }

    /** The image of every service the enabled components run in {@code project}. */
    private static Map<String, String> images(PlanContext context, String project) {
        Map<String, String> images = new LinkedHashMap<>();
        Components.services(context.layout()).stream().filter(s -> s.project().equals(project))
                .forEach(s -> images.put(s.name(), s.image()));
        return images;
    }

    @Override
    public String name() {
        return label;
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.ask(Commands.projectContainers(project.apply(context)));
        serviceImages.apply(context).values().forEach(image -> wants.ask(Commands.imageId(image)));
        wants.read(HostIpv6.IF_INET6);
    }

    @Override
    public void run(PlanContext context) {
        WantedFiles wanted = Components.wantedFiles(context, renderer);
        String name = project.apply(context);
        Map<String, ServiceContainer> running = context.engineAvailable()
                ? context.docker().projectContainers(name).stream()
                        .collect(Collectors.toMap(ServiceContainer::service, c -> c, (a, b) -> a))
                : Map.of();
        List<String> reasons = new ArrayList<>();
        serviceImages.apply(context).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(service -> {
            ServiceContainer container = running.get(service.getKey());
            if (container == null || !container.running()) {
                reasons.add(service.getKey() + " not running");
            } else if (!context.docker().imageId(service.getValue()).map(container.imageId()::equals).orElse(true)) {
                reasons.add(service.getKey() + " has a newer image");
            } else if (!wanted.inputs(service.getKey()).map(container.inputs()::equals).orElse(true)) {
                reasons.add(service.getKey() + " runs an older configuration");
            }
        });
        if (!reasons.isEmpty()) {
            Path file = composeFile.apply(context);
            context.gate().submit("start " + label + " (compose up -d: " + String.join(", ", reasons) + ")", () -> {
                context.progress("starting " + label + " ...");
                var command = upCommand(context, name, file);
                context.host().exec(command).requireOk(command);
                afterStart.accept(context);
            });
        }
    }

    /**
     * {@code compose up}; told never to pull under {@code --pull never} and {@code --push-images} (an air-gapped host
     * has no registry: a pull attempt would only fail slowly).
     */
    static Command upCommand(PlanContext context, String project, Path file) {
        return Commands.composeUp(context.compose(), project, file,
                context.options().pull() == RunOptions.PullPolicy.NEVER);
    }
}
