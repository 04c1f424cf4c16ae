package io.matrixinstall.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program (the packaged jar, nginx, docker-compose, Synapse) and keeps what it said. */
public record Run(int exitCode, String stdout, String stderr) {

    public static Run of(List<String> argv) {
        return of(argv, Map.of(), 600);
    }

    public static Run of(List<String> argv, Map<String, String> environment, int timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Read both streams fully on their own threads so a chatty program cannot block.
            var out = new java.util.concurrent.CompletableFuture<String>();
            var err = new java.util.concurrent.CompletableFuture<String>();
            new Thread(() -> out.complete(read(process.getInputStream()))).start();
            new Thread(() -> err.complete(read(process.getErrorStream()))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(argv + " did not finish within " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), out.get(), err.get());
        } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError("cannot run " + argv + ": " + e, e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static Run sh(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-ec", script, "sh"));
        argv.addAll(List.of(args));
        return of(argv);
    }

    public Run assertOk() {
        if (exitCode != 0) {
            throw new AssertionError("exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        }
        return this;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
}
