package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.Containers;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Host;
import io.matrixinstall.component.ComposeService;
import io.matrixinstall.plan.StepFailedException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "Show a service's log (db, synapse, element, nginx) through the Docker engine's log stream.")
final class LogsCommand implements Callable<Integer> {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    @Mixin
    ReadOptions readOptions;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "db, synapse, element or nginx.")
    String service;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the container stops or Ctrl-C.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "-1", description = "Only the last N lines (default: all).")
    int tail;

    @Option(names = "--since", paramLabel = "T",
            description = "Only lines since T: a duration back from now (30s, 10m, 2h, 1d) or a time (2026-11-25T10:00:00Z).")
    String since;

    @Override
    public Integer call() throws Exception {
        return readOptions.run(spec, this::logs);
    }

    private int logs(RunFrame frame) {
        Host host = frame.host();
        InstallConfig config = readOptions.load(host);
        ComposeService chosen = ComposeService.select(ComposeService.startOrder(config), Optional.of(service)).get(0);
        ServiceContainer container = Containers.now(host, chosen.project()).stream()
                .filter(c -> c.service().equals(chosen.name())).findFirst()
                .orElseThrow(() -> new StepFailedException(chosen.name() + " has no container (project " + chosen.project()
                        + "): run `matrix-install up`"));
        int sinceSeconds = since == null ? 0 : (int) since(since, Instant.now()).getEpochSecond();
        try (DockerEngine engine = DockerEngine.connect(host)) {
            engine.streamLogs(container.id(), follow, tail, sinceSeconds, bytes -> {
                System.out.write(bytes, 0, bytes.length);
                System.out.flush();
            });
        }
        return 0;
    }

    /** "10m" → ten minutes ago; an ISO-8601 instant as given. A bad value is one line naming --since. */
    static Instant since(String value, Instant now) {
        Matcher m = RELATIVE.matcher(value.trim());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigException("--since", "expected a duration like 10m or a time like 2026-11-25T10:00:00Z (got '"
                    + value + "')");
        }
    }
}
