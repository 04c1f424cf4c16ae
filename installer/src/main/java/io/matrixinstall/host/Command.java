package io.matrixinstall.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One program invocation as data: argv (never a shell string), optional working directory and extra
 * environment, and a time limit. Built only by {@link Commands}, so every command the product runs is in
 * one place and unit-tested.
 *
 * @param secrets values (a password, a token) that appear in argv or the environment: {@link #display()}
 *                shows each as {@code ***}, and {@link #redact(String)} masks them in what the program said,
 *                so an error message can name the whole command and never a secret
 * @param localAnswer for a read-only command, its answer read by the agent's own process on the machine it runs
 *                on instead of starting the program ({@link LocalAnswer}); remote hosts run the program
 */
public record Command(List<String> argv, Optional<Path> workingDirectory, Map<String, String> environment,
        Duration timeout, Set<String> secrets, Optional<LocalAnswer> localAnswer) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./*-]+"); // "*": the mask itself
    private static final String MASK = "***";

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        Set<String> nonEmpty = new HashSet<>(secrets);
        nonEmpty.remove("");
        secrets = Set.copyOf(nonEmpty);
    }

    public Command(List<String> argv, Optional<Path> workingDirectory, Map<String, String> environment, Duration timeout) {
        this(argv, workingDirectory, environment, timeout, Set.of(), Optional.empty());
    }

    /** {@code sh -c SCRIPT sh ARGS...}: a fixed script, its values passed as positional parameters, never spliced in. */
    public static Command shell(Duration timeout, String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        return new Command(argv, Optional.empty(), Map.of(), timeout);
    }

    /** This command run in {@code directory} (by the program: an in-process answer knows no working directory). */
    public Command in(Path directory) {
        return new Command(argv, Optional.of(directory), environment, timeout, secrets, Optional.empty());
    }

    /** This command with {@code extra} added to its environment (e.g. DOCKER_HOST of another engine). */
    public Command withEnvironment(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putAll(extra);
        return new Command(argv, workingDirectory, all, timeout, secrets, localAnswer);
    }

    public Command withTimeout(Duration limit) {
        return new Command(argv, workingDirectory, environment, limit, secrets, localAnswer);
    }

    /** This command with {@code values} marked secret (they may appear in argv, in the environment, or both). */
    public Command withSecrets(Collection<String> values) {
        Set<String> all = new HashSet<>(secrets);
        all.addAll(values);
        return new Command(argv, workingDirectory, environment, timeout, all, localAnswer);
    }

    /** This read-only command, answered in-process on the agent's own machine by {@code answer} ({@link LocalAnswer}). */
    public Command answeredLocallyBy(LocalAnswer answer) {
        return new Command(argv, workingDirectory, environment, timeout, secrets, Optional.of(answer));
    }

    /**
     * The whole argv for messages, secrets masked, each argument quoted as a shell would need it (control
     * characters escaped, so it stays one line). Meant to be read, not run.
     */
    public String display() {
        StringBuilder line = new StringBuilder();
        for (String argument : argv) {
            String shown = redact(argument);
            line.append(line.length() == 0 ? "" : " ").append(PLAIN.matcher(shown).matches() ? shown : quote(shown));
        }
        return line.toString();
    }

    /** {@code text} (e.g. the program's output) with every secret of this command replaced by {@code ***}. */
    public String redact(String text) {
        String result = text;
        // Longest first: a secret that contains another is masked whole.
        for (String secret : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    private static String quote(String argument) {
        StringBuilder quoted = new StringBuilder("'");
        for (char c : argument.toCharArray()) {
            switch (c) {
                case '\'' -> quoted.append("'\\''");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> quoted.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('\'').toString();
    }

    /** {@link #display()}: never the environment, never a secret. */
    @Override
    public String toString() {
        return display();
    }
}
