package io.matrixinstall.steps;

import io.matrixinstall.engine.ProjectContainers;
import io.matrixinstall.engine.ImageIds;
import io.matrixinstall.turn.TurnCertificate;
import java.util.LinkedHashMap;
import io.matrixinstall.component.Components;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.render.WantedFiles;
import io.matrixinstall.secrets.Secrets;
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
 * run killed between writing a file and recreating its container is completed by the next one. A project none of
 * the enabled components runs a service in (the proxy's with {@code tls.mode none}) is not this step's: it does
 * nothing and reads nothing ({@code LeftoversStep} removes what runs there).
 */
public final class StackStep implements Step {
    private final String label;
    private final TemplateRenderer renderer;
    private final Function<PlanContext, String> project;
    private final Function<PlanContext, Path> composeFile;
    private final Function<PlanContext, Map<String, String>> serviceImages;
    private final Consumer<PlanContext> afterStart;
    private final Output<ComposeCli> compose;
    private final Output<Secrets> secrets;

    private StackStep(String label, TemplateRenderer renderer, Function<PlanContext, String> project,
            Function<PlanContext, Path> composeFile, Function<PlanContext, Map<String, String>> serviceImages,
            Consumer<PlanContext> afterStart, Output<ComposeCli> compose, Output<Secrets> secrets) {
        this.label = label;
        this.renderer = renderer;
        this.project = project;
        this.composeFile = composeFile;
        this.serviceImages = serviceImages;
        this.afterStart = afterStart;
        this.compose = compose;
        this.secrets = secrets;
    }

    /**
     * db, synapse and element from {base_dir}/docker-compose.yml. {@code compose}: the docker step's (none: no engine
     * yet, a dry run); {@code secrets}: the secrets step's (the inputs labels hash the files they are rendered into).
     */
    public static StackStep matrix(TemplateRenderer renderer, Output<ComposeCli> compose, Output<Secrets> secrets) {
        return new StackStep("matrix stack", renderer, c -> c.config().projects().matrix(), c -> c.layout().composeFile(),
                c -> images(c, c.config().projects().matrix()),
                TurnCertificate::recordStarted, compose, secrets);
    }

    /** nginx from /root/nginx/compose.yml; a (re)started nginx has loaded the files on disk, which is recorded. */
    public static StackStep proxy(TemplateRenderer renderer, Output<ComposeCli> compose, Output<Secrets> secrets) {
        return new StackStep("nginx stack", renderer, c -> c.config().projects().proxy(), c -> c.layout().proxyCompose(),
                c -> images(c, c.config().projects().proxy()), ProxyInputs::recordStarted, compose, secrets);
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
        if (serviceImages.apply(context).isEmpty()) {
            return;
        }
        wants.ask(ProjectContainers.QUESTION, project.apply(context));
        serviceImages.apply(context).values().forEach(image -> wants.ask(ImageIds.QUESTION, image));
        wants.read(HostIpv6.IF_INET6);
    }

    @Override
    public void run(PlanContext context) {
        if (serviceImages.apply(context).isEmpty()) {
            return;
        }
        WantedFiles wanted = Components.wantedFiles(context, renderer, secrets.get());
        String name = project.apply(context);
        Map<String, ServiceContainer> running = compose.present()
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
        // A service switched off (e.g. turn.enabled false): compose up --remove-orphans removes its container.
        running.keySet().stream().filter(service -> !serviceImages.apply(context).containsKey(service)).sorted()
                .forEach(service -> reasons.add("remove " + service + ", no longer configured"));
        if (!reasons.isEmpty()) {
            Path file = composeFile.apply(context);
            context.gate().submit("start " + label + " (compose up -d: " + String.join(", ", reasons) + ")", () -> {
                context.progress("starting " + label + " ...");
                var command = upCommand(context, compose.get(), name, file);
                context.host().exec(command).requireOk(command);
                afterStart.accept(context);
            });
        }
    }

    /**
     * {@code compose up}; told never to pull under {@code --pull never} and {@code --push-images} (an air-gapped host
     * has no registry: a pull attempt would only fail slowly).
     */
    static Command upCommand(PlanContext context, ComposeCli compose, String project, Path file) {
        return Commands.composeUp(compose, project, file,
                context.options().pull() == RunOptions.PullPolicy.NEVER);
    }
}
