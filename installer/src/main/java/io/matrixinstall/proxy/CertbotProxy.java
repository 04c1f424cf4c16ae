package io.matrixinstall.proxy;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * jonasal/nginx-certbot (contract: it/images/proxy/CONTRACT.md). The image links user_conf.d files into
 * conf.d only at start and on SIGHUP to its main process, and renames a server block whose certificate
 * files are missing to *.nokey until certbot has obtained them. So a change is applied with SIGHUP, and
 * "serving" means the domain's block is linked and enabled and nginx listens on the HTTPS port.
 */
final class CertbotProxy implements ProxyFlavor {
    static final String SERVICE = "nginx";
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    /** Where the image keeps a user config, as the agent can see it from outside. */
    enum BlockState {
        /** Linked and enabled: its certificate exists. */
        ENABLED,
        /** Linked but renamed *.nokey: certbot has not obtained the certificate (yet). */
        DISABLED,
        /** Not linked: the image has not re-scanned user_conf.d since the file appeared. */
        UNSEEN
    }

    @Override
    public Command refresh(ComposeCli cli, String project, Path composeFile) {
        return Commands.composeSignal(cli, project, composeFile, "SIGHUP", SERVICE);
    }

    @Override
    public String refreshVerb() {
        return "send SIGHUP (re-scan, certbot, reload) to";
    }

    @Override
    public void awaitServing(PlanContext context) {
        if (!context.gate().applies()) {
            return;
        }
        InstallConfig config = context.config();
        String project = config.projects().proxy();
        long start = System.nanoTime();
        long deadline = start + context.options().healthTimeout().toNanos();
        long nextReport = start + REPORT_EVERY.toNanos();
        boolean resent = false;
        while (true) {
            ServiceContainer nginx = container(context.docker(), project)
                    .orElseThrow(() -> new StepFailedException("the " + project + " proxy container is not running"));
            BlockState state = state(context.host(), nginx.id(), config.domain());
            if (state == BlockState.ENABLED && listening(context.host(), config.ports().https())
                    && listening(context.host(), config.ports().federation())
                    && reloadedSince(context.host(), nginx.id(), context.proxySignalledAt())) {
                long elapsed = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                if (elapsed > 1) {
                    context.progress("certbot obtained the certificate for " + config.domain() + "; nginx serves it after "
                            + elapsed + " s");
                }
                return;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new StepFailedException("the nginx-certbot proxy did not serve " + config.domain() + " on port "
                        + config.ports().https() + " within " + context.options().healthTimeout().toSeconds() + " s ("
                        + describe(state) + "); last 50 log lines of nginx:\n"
                        + context.engine().logs(nginx.id(), 50).stripTrailing());
            }
            if (state == BlockState.UNSEEN && !resent && now - start > REPORT_EVERY.toNanos()) {
                // The image ignores a SIGHUP that arrives while a certbot pass runs; the agent's signal was
                // lost if the block is still unlinked. Once more, not in a loop: every pass asks the CA.
                resent = true;
                Command hup = Commands.composeSignal(context.compose(), project, context.layout().proxyCompose(), "SIGHUP",
                        SERVICE);
                context.host().exec(hup).requireOk(hup);
            }
            if (now > nextReport) {
                nextReport = now + REPORT_EVERY.toNanos();
                context.progress("waiting for certbot in the proxy to obtain a certificate for " + config.domain() + ": "
                        + Duration.ofNanos(now - start).toSeconds() + " s (" + describe(state) + ")");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for certbot");
            }
        }
    }

    @Override
    public Optional<String> certificateStatus(Host host, DockerCli docker, InstallConfig config) {
        Optional<ServiceContainer> nginx = container(docker, config.projects().proxy());
        if (nginx.isEmpty()) {
            return Optional.of("certificate: unknown (the proxy is not running)");
        }
        return Optional.of("certificate: " + config.domain() + " " + describe(state(host, nginx.get().id(), config.domain())));
    }

    static String describe(BlockState state) {
        return switch (state) {
            case ENABLED -> "obtained by certbot; its server block is enabled";
            case DISABLED -> "not obtained by certbot yet; its server block is disabled";
            case UNSEEN -> "server block not picked up by the proxy yet";
        };
    }

    private static Optional<ServiceContainer> container(DockerCli docker, String project) {
        return docker.projectContainers(project).stream().filter(c -> c.service().equals(SERVICE) && c.running())
                .findFirst();
    }

    static BlockState state(Host host, String containerId, String domain) {
        String link = "/etc/nginx/conf.d/" + domain + ".conf";
        if (host.exec(Commands.existsInContainer(containerId, link)).ok()) {
            return BlockState.ENABLED;
        }
        return host.exec(Commands.existsInContainer(containerId, link + ".nokey")).ok() ? BlockState.DISABLED
                : BlockState.UNSEEN;
    }

    /**
     * After a SIGHUP, the image's pass ends with `nginx -s reload`: a worker younger than the signal shows the
     * changed files are loaded (the pass also links new files and enables blocks before that reload).
     */
    static boolean reloadedSince(Host host, String containerId, Optional<java.time.Instant> signalled) {
        if (signalled.isEmpty()) {
            return true;
        }
        long since = Duration.between(signalled.get(), java.time.Instant.now()).toSeconds();
        ExecResult top = host.exec(Commands.containerProcessAges(containerId));
        return top.ok() && top.stdout().lines().skip(1).map(line -> line.trim().split("\\s+", 3))
                .filter(fields -> fields.length == 3 && fields[2].equals("nginx: worker process"))
                .anyMatch(fields -> Long.parseLong(fields[1]) < since);
    }

    /** nginx binds a TLS port only once it has loaded an enabled server block that listens there. */
    static boolean listening(Host host, int port) {
        ExecResult ss = host.exec(Commands.listeningSockets());
        return ss.ok() && ss.stdout().lines().map(line -> line.trim().split("\\s+"))
                .anyMatch(fields -> fields.length > 3 && fields[3].endsWith(":" + port));
    }
}
