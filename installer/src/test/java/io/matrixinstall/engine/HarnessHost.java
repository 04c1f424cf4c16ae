package io.matrixinstall.engine;

import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RefusingHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * This machine's commands with the test harness's engine (DOCKER_HOST from /run/matrix-install-it/env), for engine
 * reads against a real engine; it has no files (every file call fails the test). {@code afterCommand} sees every command run, after it ran.
 */
public final class HarnessHost extends RefusingHost {
    private static final Path ENV_FILE = Path.of("/run/matrix-install-it/env");

    private final LocalHost local = new LocalHost();
    private final Map<String, String> harness;
    private final Consumer<Command> afterCommand;

    private HarnessHost(Map<String, String> harness, Consumer<Command> afterCommand) {
        this.harness = harness;
        this.afterCommand = afterCommand;
    }

    /** The harness's engine, or empty where none is prepared (scripts/prepare-test-host.sh). */
    public static Optional<HarnessHost> find(Consumer<Command> afterCommand) {
        if (!Files.exists(ENV_FILE)) {
            return Optional.empty();
        }
        Map<String, String> harness = new HashMap<>();
        try {
            for (String line : Files.readAllLines(ENV_FILE)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    harness.put(line.substring(0, equals), line.substring(equals + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new HarnessHost(harness, afterCommand));
    }

    /** {@code docker ARGS} on the harness's engine. */
    public ExecResult docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return exec(new Command(argv, Optional.empty(), Map.of(), Duration.ofSeconds(60)));
    }

    @Override
    public String name() {
        return "this machine with the test engine";
    }

    @Override
    public ExecResult exec(Command command) {
        Map<String, String> environment = new HashMap<>(command.environment());
        Optional.ofNullable(harness.get("DOCKER_HOST")).ifPresent(value -> environment.put("DOCKER_HOST", value));
        ExecResult result = local.exec(new Command(command.argv(), command.workingDirectory(), environment, command.timeout()));
        afterCommand.accept(command);
        return result;
    }
}
