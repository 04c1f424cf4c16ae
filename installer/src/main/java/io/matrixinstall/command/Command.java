package io.matrixinstall.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One program invocation as data: argv (never a shell string), optional working directory and extra
 * environment, and a time limit. Built only by {@link Commands}, so every command the product runs is in
 * one place and unit-tested.
 */
public record Command(List<String> argv, Optional<Path> workingDirectory, Map<String, String> environment,
        Duration timeout) {

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    public Command in(Path directory) {
        return new Command(argv, Optional.of(directory), environment, timeout);
    }

    public Command withTimeout(Duration limit) {
        return new Command(argv, workingDirectory, environment, limit);
    }

    /** For messages: argv joined by spaces (not meant to be run by a shell). */
    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
