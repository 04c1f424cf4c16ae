package io.matrixinstall.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.matrixinstall.host.HostException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Docker engine, through docker-java: images, the containers of a compose project, their health and
 * logs, and one-off containers. Compose itself stays with the Compose CLI (run on the host), which
 * owns the project's lifecycle; this class only observes and runs throwaway containers.
 */
public final class DockerEngine implements Closeable {
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";

    private final DockerClient client;
    private final com.github.dockerjava.transport.DockerHttpClient http;
    private final String address;

    private DockerEngine(DockerClient client, com.github.dockerjava.transport.DockerHttpClient http, String address) {
        this.client = client;
        this.http = http;
        this.address = address;
    }

    /** The engine DOCKER_HOST names, else the default socket, exactly as the docker CLI chooses. */
    public static DockerEngine connect() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofMinutes(30))
                .build();
        return new DockerEngine(DockerClientImpl.getInstance(config, http), http, config.getDockerHost().toString());
    }

    private HostException failure(String what, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new HostException(what + " (Docker engine at " + address + "): " + reason, e);
    }

    /** Pulls an image, reporting layer progress as "N/M layers" lines. */
    public void pull(String reference, Consumer<String> progress) {
        PullProgress callback = new PullProgress(reference, progress);
        try {
            client.pullImageCmd(reference).exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while pulling " + reference);
        } catch (RuntimeException e) {
            throw failure("cannot pull " + reference, e);
        }
    }

    /**
     * The digest the registry serves for {@code reference} now, asked through the engine (so through its
     * registry mirrors and credentials, as a pull would), without pulling: what {@code update --dry-run} compares.
     * docker-java has no command for the engine's distribution endpoint, so this is its raw HTTP client.
     */
    public String registryDigest(String reference) {
        var request = com.github.dockerjava.transport.DockerHttpClient.Request.builder()
                .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.GET)
                .path("/distribution/" + reference + "/json").build();
        try (var response = http.execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() != 200) {
                throw new HostException("cannot ask the registry for " + reference + " (Docker engine at " + address + "): "
                        + body.strip().lines().findFirst().orElse("HTTP " + response.getStatusCode()));
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("Descriptor").path("digest").asText();
        } catch (IOException | RuntimeException e) {
            if (e instanceof HostException h) {
                throw h;
            }
            throw failure("cannot ask the registry for " + reference, e);
        }
    }

    public List<ServiceContainer> projectContainers(String project) {
        try {
            List<Container> containers = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(PROJECT_LABEL, project)).exec();
            List<ServiceContainer> services = new ArrayList<>();
            for (Container container : containers) {
                InspectContainerResponse inspect = client.inspectContainerCmd(container.getId()).exec();
                InspectContainerResponse.ContainerState state = inspect.getState();
                Optional<String> health = Optional.ofNullable(state.getHealth()).map(h -> h.getStatus());
                services.add(new ServiceContainer(container.getLabels().getOrDefault(SERVICE_LABEL, "?"),
                        container.getId(), inspect.getImageId(), Boolean.TRUE.equals(state.getRunning()), health,
                        String.valueOf(state.getStartedAt()),
                        container.getLabels().getOrDefault(io.matrixinstall.render.WantedFiles.INPUTS_LABEL, "")));
            }
            services.sort(Comparator.comparing(ServiceContainer::service));
            return services;
        } catch (RuntimeException e) {
            throw failure("cannot list the containers of project " + project, e);
        }
    }

    /** The last {@code lines} lines a container wrote, stdout and stderr interleaved. */
    public String logs(String containerId, int lines) {
        StringBuilder out = new StringBuilder();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw failure("cannot read the logs of " + containerId, e);
        }
        return out.toString();
    }

    /** Result of a one-off container: exit code and everything it printed. */
    public record OneOff(int exitCode, String output) {}

    /**
     * Runs {@code entrypoint args} in a throwaway container of {@code image} with {@code hostDir}
     * mounted read-only at {@code mountPoint}, and removes the container afterwards.
     */
    public OneOff runOnce(String image, String entrypoint, List<String> args, Path hostDir, String mountPoint,
            Duration timeout) {
        String id = null;
        try {
            id = client.createContainerCmd(image)
                    .withEntrypoint(entrypoint)
                    .withCmd(args)
                    .withNetworkDisabled(true)
                    .withHostConfig(HostConfig.newHostConfig()
                            .withBinds(new Bind(hostDir.toString(), new Volume(mountPoint), AccessMode.ro)))
                    .exec().getId();
            client.startContainerCmd(id).exec();
            Integer code = client.waitContainerCmd(id).start().awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS);
            return new OneOff(code, logs(id, 200));
        } catch (RuntimeException e) {
            throw failure("cannot run a one-off " + image + " container", e);
        } finally {
            if (id != null) {
                try {
                    client.removeContainerCmd(id).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // already gone; nothing to clean
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing a connection pool; nothing left to do
        }
    }

    /** Turns the engine's per-layer pull events into occasional progress lines. */
    private static final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {
        private final String reference;
        private final Consumer<String> progress;
        private final java.util.Set<String> layers = new java.util.HashSet<>();
        private final java.util.Set<String> done = new java.util.HashSet<>();
        private long lastReport;

        PullProgress(String reference, Consumer<String> progress) {
            this.reference = reference;
            this.progress = progress;
        }

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null) {
                throw new HostException("cannot pull " + reference + ": " + item.getErrorDetail().getMessage());
            }
            if (item.getId() != null && item.getStatus() != null) {
                layers.add(item.getId());
                if (item.getStatus().startsWith("Pull complete") || item.getStatus().startsWith("Already exists")) {
                    done.add(item.getId());
                }
            }
            long now = System.nanoTime();
            if (now - lastReport > TimeUnit.SECONDS.toNanos(2)) {
                lastReport = now;
                progress.accept("pulling " + reference + ": " + done.size() + "/" + layers.size() + " layers");
            }
        }
    }
}
