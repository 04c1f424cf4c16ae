package io.matrixinstall.engine;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.LocalHost;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's own Docker engine (DOCKER_HOST of the operator's environment, else the default socket), the
 * source of {@code up --push-images}. This side is local by nature, whatever host is being installed: it runs
 * the docker CLI here, never through the target's {@link Host}.
 */
public final class LocalEngine {
    /** An image in this engine: its id and uncompressed size. */
    public record Image(String id, long bytes) {}

    private final Map<String, String> environment;

    /** {@code environment}: added to the operator's (tests point DOCKER_HOST at another engine). */
    public LocalEngine(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static LocalEngine operators() {
        return new LocalEngine(Map.of());
    }

    /** Where this engine is, for messages. */
    public String describe() {
        String host = environment.getOrDefault("DOCKER_HOST", System.getenv("DOCKER_HOST"));
        return host == null || host.isBlank() ? "the local engine" : "the local engine (DOCKER_HOST=" + host + ")";
    }

    public Optional<Image> image(String reference) {
        Command inspect = Commands.imageIdAndSize(reference).withEnvironment(environment);
        ExecResult result = new LocalHost().exec(inspect);
        if (!result.ok()) {
            if (result.stderr().contains("No such image")) {
                return Optional.empty();
            }
            throw new HostException("cannot inspect " + reference + " in " + describe() + ": " + result.stderr().strip());
        }
        String[] fields = result.stdout().strip().split(" ");
        return Optional.of(new Image(fields[0], Long.parseLong(fields[1])));
    }

    /**
     * Starts {@code docker save IMAGE}; read its output to the end, then {@link Export#finish()}. The stream is
     * the tar itself, never staged in a file.
     */
    public Export export(String reference) {
        Command save = Commands.saveImage(reference).withEnvironment(environment);
        ProcessBuilder builder = new ProcessBuilder(save.argv());
        builder.environment().putAll(save.environment());
        try {
            return new Export(save, builder.start());
        } catch (IOException e) {
            throw new HostException("cannot run " + save.argv().get(0) + " on this machine: " + e.getMessage(), e);
        }
    }

    /** A running {@code docker save}. */
    public static final class Export implements AutoCloseable {
        private final Command command;
        private final Process process;
        private final java.util.concurrent.CompletableFuture<String> errors;

        Export(Command command, Process process) {
            this.command = command;
            this.process = process;
            // Drained aside, so a chatty stderr can never stall the stream.
            this.errors = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (InputStream err = process.getErrorStream()) {
                    return new String(err.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.getMessage();
                }
            });
        }

        public InputStream output() {
            return process.getInputStream();
        }

        /** Waits for the save to end; fails with its words when it did not succeed. */
        public void finish() {
            try {
                int code = process.waitFor();
                if (code != 0) {
                    throw new HostException(command.display() + " failed on this machine (exit " + code + "): "
                            + ExecResult.lastLines(errors.join(), 3));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted while saving an image");
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
