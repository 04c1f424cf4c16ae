package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.steps.RenewalScheduleStep;
import io.matrixinstall.tls.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Show the stacks' containers, the certificate and the last renewals."
        + " Exit 1 when a service is not running or not healthy.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        Console console = Console.system();
        InstallConfig config = configOptions.load();
        Host host = new LocalHost();
        DockerCli docker = new DockerCli(host);
        boolean healthy = stack(console, docker, config.projects().matrix(), List.of("db", "synapse", "element"));
        if (config.tls().mode() != InstallConfig.TlsMode.NONE) {
            healthy &= stack(console, docker, config.projects().proxy(), List.of("nginx"));
        }
        Layout layout = new Layout(config);
        if (config.tls().mode().agentManagesCertificates()) {
            console.line(host.read(layout.fullchain()).map(pem -> describe(new String(pem, StandardCharsets.UTF_8)))
                    .orElse("certificate: none yet at " + layout.fullchain()));
        }
        if (config.tls().mode() != InstallConfig.TlsMode.NONE) {
            io.matrixinstall.proxy.ProxyFlavor.of(config).certificateStatus(host, docker, config).ifPresent(console::line);
        }
        if (config.tls().mode() == InstallConfig.TlsMode.ACME) {
            List<String> renewals = new RenewLog(host, RenewalScheduleStep.renewLog(config)).lines();
            console.line("renewals: " + (renewals.isEmpty() ? "none logged yet"
                    : String.join("\n  ", renewals.subList(Math.max(0, renewals.size() - 5), renewals.size()))));
        }
        return healthy ? 0 : MatrixInstall.FAILED;
    }

    private static boolean stack(Console console, DockerCli docker, String project, List<String> services) {
        List<ServiceContainer> containers = docker.projectContainers(project);
        boolean healthy = true;
        StringBuilder line = new StringBuilder(project + ":");
        for (String service : services) {
            ServiceContainer c = containers.stream().filter(x -> x.service().equals(service)).findFirst().orElse(null);
            String state = c == null ? "missing" : !c.running() ? "stopped" : c.health().orElse("running");
            boolean ok = c != null && c.healthy();
            if (c != null && c.running() && state.equals("starting")) {
                // Docker has not run its first check yet: run it now rather than report a stale "starting".
                ok = docker.healthyNow(c);
                state = ok ? "healthy" : "starting";
            }
            healthy &= ok;
            line.append(' ').append(service).append(' ').append(state).append(',');
        }
        console.line(line.substring(0, line.length() - 1));
        return healthy;
    }

    private static String describe(String pem) {
        try {
            X509Certificate leaf = CertificateFiles.parseChain(pem).get(0);
            return "certificate: " + CertificateFiles.dnsNames(leaf).stream().collect(Collectors.joining(", "))
                    + ", issued by " + leaf.getIssuerX500Principal().getName() + ", expires " + leaf.getNotAfter().toInstant()
                    + " (" + CertificateFiles.daysUntilExpiry(leaf, Instant.now()) + " days)";
        } catch (IllegalArgumentException e) {
            return "certificate: unreadable (" + e.getMessage() + ")";
        }
    }
}
