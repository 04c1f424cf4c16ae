package io.matrixinstall.steps;

import java.util.stream.Collectors;
import io.matrixinstall.component.Component;
import io.matrixinstall.component.Components;
import io.matrixinstall.host.HostCommands;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.OsRelease;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the host can take the install before anything changes: root, OS, disk, ports. Changes nothing. */
public final class PreflightStep implements Step {
    /** Images (~1.5 GB) plus room for the database and media to start. */
    static final long MIN_FREE_BYTES = 3L << 30;
    private static final Set<String> SUPPORTED = Set.of("ubuntu", "debian");
    private static final Pattern LISTEN = Pattern.compile("\\S+\\s+\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s+\\S+\\s*(.*)");

    @Override
    public String name() {
        return "preflight";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.ask(Commands.userId(), HostCommands.osRelease(), Commands.freeBytesAt(context.config().baseDir()));
        if (!Components.publicPorts(context.config()).isEmpty()) {
            wants.ask(Commands.takenPorts("tcp"));
        }
        List<String> ownPorts = Components.enabled(context.config()).stream().flatMap(c -> c.ownPorts(context.config()).stream())
                .toList();
        if (ownPorts.stream().anyMatch(port -> port.endsWith("/tcp"))) {
            wants.ask(Commands.takenPorts("tcp"));
        }
        if (ownPorts.stream().anyMatch(port -> port.endsWith("/udp"))) {
            wants.ask(Commands.takenPorts("udp"));
        }
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        ExecResult id = context.facts().ask(Commands.userId());
        if (!id.ok() || !id.stdout().strip().equals("0")) {
            throw new PreconditionException("must run as root on " + host.name() + " (it installs packages and writes "
                    + context.config().baseDir() + "); try sudo. Nothing was changed.");
        }
        OsRelease os = host.osRelease();
        if (!SUPPORTED.contains(os.id())) {
            throw new PreconditionException(os.prettyName() + " is not supported: matrix-install installs on Ubuntu and"
                    + " Debian. Nothing was changed.");
        }
        if (os.id().equals("ubuntu") && os.codename().isEmpty()) {
            throw new PreconditionException("/etc/os-release has no VERSION_CODENAME; cannot choose Docker's repository");
        }
        checkFreeDisk(context);
        if (!Components.publicPorts(context.config()).isEmpty()) {
            checkPublicPorts(context);
        }
        for (Component component : Components.enabled(context.config())) {
            checkOwnPorts(context, component);
        }
    }

    private static void checkFreeDisk(PlanContext context) {
        // df of the nearest directory that exists (the base directory may not be there yet).
        ExecResult df = context.facts().ask(Commands.freeBytesAt(context.config().baseDir()));
        List<String> lines = df.stdout().lines().toList();
        if (!df.ok() || lines.size() < 2) {
            return; // no df: nothing to judge by; the pull or the database will say so
        }
        String[] fields = lines.get(lines.size() - 1).trim().split("\\s+");
        long free = Long.parseLong(fields[3]);
        if (free < MIN_FREE_BYTES) {
            throw new PreconditionException(String.format("only %.1f GiB free on %s; the stack needs at least %d GiB for"
                    + " images and data. Nothing was changed.", free / (double) (1L << 30), fields[5], MIN_FREE_BYTES >> 30));
        }
    }

    private static void checkPublicPorts(PlanContext context) {
        InstallConfig config = context.config();
        List<Integer> wanted = Components.publicPorts(config);
        ExecResult ss = context.facts().ask(Commands.takenPorts("tcp"));
        if (!ss.ok()) {
            return;
        }
        for (String line : ss.stdout().lines().toList()) {
            Matcher m = LISTEN.matcher(line.trim());
            if (!m.matches() || !wanted.contains(Integer.parseInt(m.group(2)))) {
                continue;
            }
            if (ownProxyRunning(context)) {
                return; // our own nginx holds them
            }
            String program = program(context, "tcp", m.group(2));
            throw new PreconditionException("port " + m.group(2) + " is already in use" + (program.isBlank() ? "" : " by "
                    + program) + "; the public proxy needs ports " + wanted.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + " (or use --tls none). Nothing was changed.");
        }
    }

    /** A component's own ports (TCP and UDP) must be free unless its own service holds them. */
    private static void checkOwnPorts(PlanContext context, Component component) {
        List<String> ports = component.ownPorts(context.config());
        for (String protocol : List.of("tcp", "udp")) {
            if (ports.stream().noneMatch(p -> p.endsWith("/" + protocol))) {
                continue;
            }
            ExecResult ss = context.facts().ask(Commands.takenPorts(protocol));
            if (!ss.ok()) {
                continue;
            }
            for (String line : ss.stdout().lines().toList()) {
                Matcher m = LISTEN.matcher(line.trim());
                if (!m.matches() || !ports.contains(m.group(2) + "/" + protocol)) {
                    continue;
                }
                if (ownServicesRunning(context, component)) {
                    return; // its own service holds them
                }
                String program = program(context, protocol, m.group(2));
                throw new PreconditionException("port " + m.group(2) + "/" + protocol + " is already in use"
                        + (program.isBlank() ? "" : " by " + program) + "; " + component.name() + " needs "
                        + String.join(", ", ports) + ". Nothing was changed.");
            }
        }
    }

    private static boolean ownServicesRunning(PlanContext context, Component component) {
        try {
            return component.services(context.layout()).stream().anyMatch(service -> context.docker()
                    .projectContainers(service.project()).stream().anyMatch(c -> c.running() && c.service().equals(service.name())));
        } catch (RuntimeException e) {
            return false; // no engine yet: the port can't be ours
        }
    }

    /** The program that holds {@code port} now (asked live, ss -p, only for a refusal's message), or "". */
    private static String program(PlanContext context, String protocol, String port) {
        ExecResult ss = context.host().exec(protocol.equals("udp") ? Commands.boundUdpSockets() : Commands.listeningSockets());
        return ss.stdout().lines().map(line -> LISTEN.matcher(line.trim())).filter(m -> m.matches() && m.group(2).equals(port))
                .map(m -> m.group(3).replaceAll(".*users:\\(\\(\"([^\"]+)\".*", "$1")).findFirst().orElse("");
    }

    private static boolean ownProxyRunning(PlanContext context) {
        try {
            return context.docker().projectContainers(context.config().projects().proxy()).stream()
                    .anyMatch(c -> c.running());
        } catch (RuntimeException e) {
            return false; // no engine yet: the port can't be ours
        }
    }
}
