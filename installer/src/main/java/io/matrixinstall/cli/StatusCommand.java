package io.matrixinstall.cli;

import io.matrixinstall.layout.Layout;
import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.component.StatusSource;
import io.matrixinstall.component.Schedule;
import io.matrixinstall.component.Components;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.ops.ServiceState;
import io.matrixinstall.ops.StatusReport;
import io.matrixinstall.ops.checks.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show each service (state, health, image, digest, age, uptime, restarts), the"
        + " certificate, disk use, the last update and renewals, and the checks of healthchecks/."
        + " Exit 1, with the reason, when something is not healthy.")
final class StatusCommand implements Callable<Integer> {

    // The install settings too: a check of an install named by its settings, where none is recorded (ITs do this).
    @Mixin
    InstallOptions install;

    @Mixin
    HostOptions hostOptions;

    @Mixin
    JsonOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return RunFrame.run(spec, hostOptions, LocalHost.DEFAULT_RUN_DIR, this::status);
    }

    private int status(RunFrame frame) throws JsonProcessingException {
        Host host = frame.host();
        Console console = frame.console();
        InstallConfig config = install.load(host);
        List<String> renewals = List.of();
        TlsModeComponent mode = TlsModes.of(config);
        if (mode.renewsWithAcme()) {
            renewals = new RenewLog(host, Schedule.renewLog(config)).lines();
            renewals = renewals.subList(Math.max(0, renewals.size() - 5), renewals.size());
        }
        StatusReport report = StatusReport.collect(host, config, install.stateDir(), renewals, "status");
        if (output.json()) {
            console.line(StatusReport.json().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            print(console, report, config);
            // e.g. nginx-certbot: what the proxy's certbot holds (the agent keeps no certificate file in that mode).
            Components.statusLines(new StatusSource(host, new DockerCli(host), config, new Layout(config))).forEach(console::line);
        }
        if (!report.healthy()) {
            for (CheckResult failed : report.checks().stream().filter(c -> c.status() == CheckResult.Status.FAIL).toList()) {
                console.problem("not healthy: " + failed.id() + ": " + failed.message() + "\n  fix: " + failed.fix());
            }
            return MatrixInstall.FAILED;
        }
        return 0;
    }

    private static void print(Console console, StatusReport report, InstallConfig config) {
        // One summary line per Compose project first (what scripts grep), then the details.
        for (String project : report.services().stream().map(ServiceState::project).distinct().toList()) {
            console.line(project + ": " + report.services().stream().filter(s -> s.project().equals(project))
                    .map(s -> s.name() + " " + summary(s)).collect(Collectors.joining(", ")));
        }
        Instant now = Instant.now();
        for (ServiceState s : report.services()) {
            console.line(String.format(Locale.ROOT, "  %-8s %-8s %-9s %s %s, image %s old, up %s, %d restart(s)", s.name(), s.state(),
                    s.health(), s.image(), s.digest() != null ? s.digest().substring(s.digest().indexOf('@') + 1)
                            : s.imageId() == null ? "-" : s.imageId(),
                    age(s.imageCreated(), now), s.state().equals("running") ? age(s.startedAt(), now) : "-", s.restartCount()));
        }
        if (report.certificate() != null) {
            console.line("certificate: " + String.join(", ", report.certificate().names()) + ", issued by "
                    + report.certificate().issuer() + ", expires " + report.certificate().notAfter() + " ("
                    + report.certificate().daysLeft() + " days)");
        } else if (TlsModes.of(config).agentWritesCertificates()) {
            console.line("certificate: none yet");
        }
        StatusReport.Disk disk = report.disk();
        console.line("disk: " + disk.baseDir() + " " + size(disk.baseDirBytes()) + ", volume " + disk.databaseVolume() + " "
                + size(disk.databaseVolumeBytes()) + ", " + size(disk.freeBytes()) + " free");
        console.line("last update: " + (report.lastUpdate() == null ? "none recorded" : report.lastUpdate().line()));
        if (TlsModes.of(config).renewsWithAcme()) {
            console.line("renewals: " + (report.renewals().isEmpty() ? "none logged yet" : String.join("\n  ", report.renewals())));
        }
        console.line("checks: " + report.checks().stream().map(c -> c.id() + " " + c.status()).collect(Collectors.joining(", ")));
    }

    private static String summary(ServiceState s) {
        return !s.state().equals("running") ? (s.state().equals("missing") ? "missing" : "stopped")
                : s.health().equals("none") ? "running" : s.health();
    }

    static String age(String iso, Instant now) {
        if (iso == null || iso.isEmpty()) {
            return "?";
        }
        try {
            Duration d = Duration.between(Instant.parse(iso), now);
            if (d.isNegative()) {
                return "0s";
            }
            return d.toDays() > 0 ? d.toDays() + "d" : d.toHours() > 0 ? d.toHours() + "h"
                    : d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    static String size(Long bytes) {
        if (bytes == null) {
            return "?";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
