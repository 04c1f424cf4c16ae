package io.matrixinstall.update;

import io.matrixinstall.component.ComposeService;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Optional;

/**
 * Gets every configured image as the registry serves it now and notes each service whose container runs
 * another one. A real run pulls each image by name through docker-java (progress per layer; an unchanged
 * image costs one manifest round trip) and compares image ids. A dry run pulls nothing: it asks the
 * registry for the tag's digest and compares it with the digests of the image the container runs.
 */
public final class PullImagesStep implements Step {
    private final UpdateRun run;

    public PullImagesStep(UpdateRun run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "pull images";
    }

    @Override
    public void run(PlanContext context) {
        List<ComposeService> services = ComposeService.startOrder(context.config());
        Map<String, List<ServiceContainer>> byProject = new HashMap<>();
        if (context.gate().applies()) {
            pullAll(context, services.stream().map(ComposeService::image).distinct().toList());
        }
        for (ComposeService service : services) {
            Optional<ServiceContainer> container = byProject
                    .computeIfAbsent(service.project(), project -> context.docker().projectContainers(project)).stream()
                    .filter(c -> c.service().equals(service.name())).findFirst();
            if (container.isEmpty()) {
                continue; // not installed yet, or removed: the stack step starts it from the image it gets
            }
            String runningId = container.get().imageId();
            List<String> runningDigests = Digests.of(context.host(), runningId);
            String runningDigest = runningDigests.stream().findFirst().orElse(runningId);
            if (context.gate().applies()) {
                String newId = context.docker().imageId(service.image()).orElseThrow();
                if (!newId.equals(runningId)) {
                    UpdateRun.Change change = new UpdateRun.Change(service, runningId, runningDigest,
                            Digests.name(context.host(), newId));
                    context.progress("new image for " + change.describe());
                    run.changed(change);
                }
            } else {
                String served = context.engine().registryDigest(service.image());
                if (!runningDigests.contains(served)) {
                    UpdateRun.Change change = new UpdateRun.Change(service, runningId, runningDigest, served);
                    run.changed(change);
                    context.gate().submit("pull " + service.image() + " and recreate " + change.describe(), () -> {});
                }
            }
        }
    }

    /** The pulls run side by side: each is mostly a registry round trip when nothing is new. */
    private static void pullAll(PlanContext context, List<String> images) {
        var engine = context.engine();
        List<CompletableFuture<Void>> pulls = images.stream()
                .map(image -> CompletableFuture.runAsync(() -> engine.pull(image, context::progress)))
                .toList();
        for (CompletableFuture<Void> pull : pulls) {
            try {
                pull.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }
}
