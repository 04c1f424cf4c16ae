package io.matrixinstall.engine;

import io.matrixinstall.command.Commands;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    private final DockerClient client;
    private final com.github.dockerjava.transport.DockerHttpClient http;
    private final String address;

    private DockerEngine(DockerClient client, com.github.dockerjava.transport.DockerHttpClient http, String address) {
        this.client = client;
        this.http = http;
        this.address = address;
    }

    /**
     * The engine of {@code host}, reached through it (one {@code docker system dial-stdio} per connection, see
     * {@link HostDockerHttpClient}): the host's engine whether the agent runs there or drives it over SSH, and the
     * same engine its docker commands use (DOCKER_HOST, else the default socket).
     */
    public static DockerEngine connect(Host host) {
        // The settings docker-java takes from its config are the API version (none: the engine's own) and registry
        // credentials for pulls (the operator's ~/.docker/config.json); its docker host is never dialled.
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").withDockerTlsVerify(false).build();
        HostDockerHttpClient http = new HostDockerHttpClient(host, Duration.ofMinutes(30));
        return new DockerEngine(DockerClientImpl.getInstance(config, http), http,
                host.name() + " through `docker system dial-stdio`");
    }

    private HostException failure(String what, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new HostException(what + " (Docker engine on " + address + "): " + reason, e);
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
                throw new HostException("cannot ask the registry for " + reference + " (Docker engine on " + address + "): "
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

    /**
     * Streams a container's log (stdout and stderr interleaved, in order) to {@code sink}: the last {@code tail}
     * lines (all when negative), only those since {@code sinceEpochSeconds} (when positive), and with
     * {@code follow} on until the container stops or the agent is interrupted (Ctrl-C).
     */
    public void streamLogs(String containerId, boolean follow, int tail, int sinceEpochSeconds,
            java.util.function.Consumer<byte[]> sink) {
        var command = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail >= 0) {
            command = command.withTail(tail);
        }
        if (sinceEpochSeconds > 0) {
            command = command.withSince(sinceEpochSeconds);
        }
        try {
            command.exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    sink.accept(frame.getPayload());
                }
            }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw failure("cannot read the logs of " + containerId, e);
        }
    }

    /** Result of a one-off container: exit code and everything it printed. */
    public record OneOff(int exitCode, String output) {}

    /** Label on every one-off container; its value says what for. {@code docker ps -a --filter label=...} finds them. */
    public static final String ONE_OFF_LABEL = "io.matrixinstall.one-off";
    /** Which agent process created a one-off ({@link OneOffOwner}), so another agent never removes it in use. */
    static final String ONE_OFF_OWNER_LABEL = "io.matrixinstall.one-off.owner";
    /** A "created" one-off of an agent on another machine older than this was left by a killed agent. */
    private static final Duration STALE_ONE_OFF_AGE = Duration.ofMinutes(10);

    /**
     * Runs {@code entrypoint args} in a throwaway container of {@code image} with {@code hostDir} mounted
     * read-only at {@code mountPoint}. The engine removes the container itself when it exits (auto-remove),
     * so a killed agent leaves none behind; its output is read through an attach opened before the start,
     * and its exit code from the engine's "die" event, both of which outlive the removal.
     */
    public OneOff runOnce(String purpose, String image, String entrypoint, List<String> args, Path hostDir,
            String mountPoint, Duration timeout) {
        removeStaleOneOffs();
        // Another agent on this engine under a lock of its own (integration tests run several; so does a second
        // --run-dir) removes the one-offs it finds "created": ours too, between its creation and its start.
        for (int attempt = 1; ; attempt++) {
            Optional<OneOff> done = runOnceUnlessRemoved(purpose, image, entrypoint, args, hostDir, mountPoint, timeout);
            if (done.isPresent()) {
                return done.get();
            }
            if (attempt == 3) {
                throw new HostException("a one-off " + image + " container was removed before it started, " + attempt + " times");
            }
        }
    }

    /** {@link #runOnce}; empty when the container was removed by someone else before it started. */
    private Optional<OneOff> runOnceUnlessRemoved(String purpose, String image, String entrypoint, List<String> args,
            Path hostDir, String mountPoint, Duration timeout) {
        String id = null;
        boolean started = false;
        try (OutputCollector output = new OutputCollector(); ExitWatcher exit = new ExitWatcher()) {
            id = client.createContainerCmd(image)
                    .withEntrypoint(entrypoint)
                    .withCmd(args)
                    .withLabels(Map.of(ONE_OFF_LABEL, purpose, ONE_OFF_OWNER_LABEL, OneOffOwner.current().label()))
                    .withNetworkDisabled(true)
                    .withHostConfig(HostConfig.newHostConfig()
                            .withAutoRemove(true)
                            .withBinds(new Bind(hostDir.toString(), new Volume(mountPoint), AccessMode.ro)))
                    .exec().getId();
            client.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(output);
            output.awaitStarted(30, TimeUnit.SECONDS);
            // Events are replayed from "since" (the engine's clock, from the container's creation), so the die
            // event cannot slip past before we listen.
            String since = Long.toString(Instant.parse(client.inspectContainerCmd(id).exec().getCreated()).getEpochSecond() - 1);
            client.eventsCmd().withSince(since).withContainerFilter(id).withEventFilter("die", "destroy").exec(exit);
            client.startContainerCmd(id).exec();
            started = true;
            Optional<Integer> code = exit.await(timeout);
            if (code.isEmpty()) {
                removeQuietly(id);
                throw new HostException("a one-off " + image + " container did not finish within " + timeout.toSeconds() + " s");
            }
            output.awaitCompletion(30, TimeUnit.SECONDS); // the stream ends when the container has exited
            exit.awaitRemoval(Duration.ofSeconds(30)); // the engine removes it just after; leave only when it is gone
            return Optional.of(new OneOff(code.get(), output.text()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (id != null) {
                removeQuietly(id);
            }
            throw new HostException("interrupted while running a one-off " + image + " container");
        } catch (HostException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            if (id != null) {
                removeQuietly(id);
                if (!started && e instanceof NotFoundException) {
                    return Optional.empty();
                }
            }
            throw failure("cannot run a one-off " + image + " container", e);
        }
    }

    /**
     * Auto-remove needs a start: a one-off created by an agent killed before it started it stays "created".
     * Only the host lock's holder runs one-offs, so any created one is such a leftover.
     */
    /**
     * Removes one-offs a killed agent left "created": one whose creating process on this machine is gone, or
     * (another machine's, or unlabelled) an old one. A "created" one-off of a live agent (another one on the same
     * engine under its own lock) is between its creation and its start, and must not be taken from it.
     */
    private void removeStaleOneOffs() {
        long cutoff = Instant.now().minus(STALE_ONE_OFF_AGE).getEpochSecond();
        try {
            for (Container created : client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(ONE_OFF_LABEL))
                    .withStatusFilter(List.of("created")).exec()) {
                String owner = created.getLabels() == null ? null : created.getLabels().get(ONE_OFF_OWNER_LABEL);
                boolean old = created.getCreated() != null && created.getCreated() < cutoff;
                if (OneOffOwner.current().leftBehind(owner).orElse(old)) {
                    removeQuietly(created.getId());
                }
            }
        } catch (RuntimeException e) {
            throw failure("cannot list one-off containers", e);
        }
    }

    private void removeQuietly(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (RuntimeException ignored) {
            // already gone (auto-removed); nothing to clean
        }
    }

    /** Everything a one-off printed, stdout and stderr interleaved. */
    private static final class OutputCollector extends ResultCallback.Adapter<Frame> {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void onNext(Frame frame) {
            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }

        String text() {
            return text.toString();
        }
    }

    /** Follows the container's "die" event, which carries its exit code, and its "destroy" (auto-removal). */
    private static final class ExitWatcher extends ResultCallback.Adapter<Event> {
        private final java.util.concurrent.CompletableFuture<Integer> code = new java.util.concurrent.CompletableFuture<>();
        private final java.util.concurrent.CountDownLatch removed = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void onNext(Event event) {
            if ("destroy".equals(event.getAction())) {
                removed.countDown();
                return;
            }
            Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
            String exitCode = attributes == null ? null : attributes.get("exitCode");
            if (exitCode != null) {
                code.complete(Integer.parseInt(exitCode));
            }
        }

        @Override
        public void onError(Throwable throwable) {
            code.completeExceptionally(throwable);
            super.onError(throwable);
        }

        void awaitRemoval(Duration timeout) throws InterruptedException {
            removed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        Optional<Integer> await(Duration timeout) throws InterruptedException {
            try {
                return Optional.of(code.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return Optional.empty();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new HostException("lost the engine's events: " + e.getCause().getMessage(), e.getCause());
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
