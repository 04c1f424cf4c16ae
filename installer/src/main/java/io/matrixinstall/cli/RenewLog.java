package io.matrixinstall.cli;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Ownership;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** One line per `renew` run on the host, newest last, kept short; `status` shows the end of it. */
final class RenewLog {
    static final int KEEP = 200;
    private final Host host;
    private final Path file;

    RenewLog(Host host, Path file) {
        this.host = host;
        this.file = file;
    }

    void append(String outcome) {
        if (host.stat(file.getParent()).isEmpty()) {
            return; // renew run by hand before any `up` scheduled it: nowhere to log yet
        }
        List<String> lines = new ArrayList<>(lines());
        lines.add(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + outcome);
        List<String> kept = lines.subList(Math.max(0, lines.size() - KEEP), lines.size());
        try {
            host.writeAtomically(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8),
                    Ownership.ROOT, 0644);
        } catch (HostException e) {
            // the outcome is on the console already; a log we cannot write must not hide it
        }
    }

    List<String> lines() {
        return host.read(file).map(b -> new String(b, StandardCharsets.UTF_8).lines().toList()).orElse(List.of());
    }
}
