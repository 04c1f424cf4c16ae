package io.matrixinstall.update;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One line per update/refresh run, newest last, beside the agent: "TIME COMMAND RESULT: what happened".
 * Self-contained for now; the audit history (JSON lines) is meant to take its place.
 */
public final class HistoryLog {
    static final int KEEP = 500;
    private final Host host;
    private final Path file;

    public HistoryLog(Host host, Path file) {
        this.host = host;
        this.file = file;
    }

    public static Path file(InstallConfig config) {
        return config.renewal().agentDir().resolve("update-history.log");
    }

    public void append(String command, String outcome) {
        List<String> lines = new ArrayList<>(lines());
        lines.add(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + command + " " + outcome);
        List<String> kept = lines.subList(Math.max(0, lines.size() - KEEP), lines.size());
        try {
            if (host.stat(file.getParent()).isEmpty()) {
                host.createDirectory(file.getParent(), Ownership.ROOT, 0755);
            }
            host.writeAtomically(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8), Ownership.ROOT, 0644);
        } catch (HostException e) {
            // the outcome is on the console already; a log we cannot write must not hide it
        }
    }

    public List<String> lines() {
        return host.read(file).map(b -> new String(b, StandardCharsets.UTF_8).lines().toList()).orElse(List.of());
    }
}
