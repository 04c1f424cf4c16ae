package io.matrixinstall.component.tls;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.component.Leftover;
import io.matrixinstall.component.StatusSource;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import java.util.ArrayList;
import java.util.Set;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Poll;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * nginx-certbot: the seed's jonasal/nginx-certbot stack obtains and renews certificates itself, and decides which
 * server blocks are loaded. Its files: the image's settings, a port-80 server of ours and one mounted over the
 * image's, the ACME root certbot trusts.
 *
 * <p>jonasal/nginx-certbot (contract: it/images/proxy/CONTRACT.md). The image links user_conf.d files into
 * conf.d only at start and on SIGHUP to its main process, and renames a server block whose certificate
 * files are missing to *.nokey until certbot has obtained them. So a change is applied with SIGHUP, and
 * "serving" means: the domain's block is linked and enabled, nginx listens on both TLS ports, and, after a
 * SIGHUP from this run, nginx has reloaded since. All of it is read from the running container, so the wait
 * also ends (or fails) correctly when the agent itself did not start or signal the proxy.
 */
final class NginxCertbotMode extends TlsModeComponent {
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

    NginxCertbotMode() {
        super(InstallConfig.TlsMode.NGINX_CERTBOT);
    }

    @Override
    public boolean imageServesHttp() {
        return true;
    }

    @Override
    public String proxyImage(InstallConfig config) {
        return config.images().proxy();
    }

    @Override
    public String proxyComposeTemplate() {
        return "compose/proxy-certbot.yml.ftl";
    }

    @Override
    public List<ManagedDirectory> directories(Layout layout) {
        return List.of(new ManagedDirectory(layout.certbotTrustDir(), ROOT, Layout.DIR));
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        Set<String> none = Set.of();
        List<RenderedFile> files = new ArrayList<>(List.of(
                Layout.file(layout.certbotEnv(), "nginx/nginx-certbot.env.ftl", ROOT, Layout.PUBLIC_FILE, Set.of(SERVICE)),
                // Loaded on SIGHUP like the server block (ProxyInputs), not by recreating the container.
                Layout.file(layout.certbotHttpServer(), "nginx/certbot-http.conf.ftl", ROOT, Layout.PUBLIC_FILE, none),
                Layout.file(layout.certbotImageRedirector(), "nginx/certbot-image-redirector.conf.ftl", ROOT,
                        Layout.PUBLIC_FILE, none)));
        if (!layout.config().tls().acmeTrustedRoot().isEmpty()) {
            // certbot reads it on each run, from a directory mount.
            files.add(Layout.file(layout.certbotAcmeRoot(), "nginx/acme-ca.pem.ftl", ROOT, Layout.PUBLIC_FILE, none));
        }
        return files;
    }

    @Override
    public List<Leftover> leftovers(Layout layout) {
        return List.of(Leftover.file(layout.certbotEnv()));
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
    public void awaitServing(PlanContext context, Optional<ComposeCli> compose, Optional<Instant> signalled) {
        InstallConfig config = context.config();
        String project = config.projects().proxy();
        // Live: the stack step may just have started it.
        Optional<ServiceContainer> running = compose.isPresent() ? context.docker().containersNow(project).stream()
                .filter(c -> c.service().equals(SERVICE) && c.running()).findFirst() : Optional.empty();
        if (running.isEmpty()) {
            if (!context.gate().applies()) {
                return; // a dry run that would start the proxy first
            }
            throw new StepFailedException("the " + project + " proxy container is not running");
        }
        String id = running.get().id();
        // This run's last signal: the reload step's, then the ones sent here.
        AtomicReference<Instant> lastSignal = new AtomicReference<>(signalled.orElse(null));
        Observation before = observe(context, id, lastSignal.get());
        if (before.state() != BlockState.ENABLED && before.sleepingFor().isPresent()
                && lastSignal.get() == null) {
            // Observed, not remembered: the image is idle with the block not served (certbot failed earlier, or
            // a signal was lost), and it would only look again in RENEWAL_INTERVAL.
            context.gate().submit(refreshVerb() + " nginx (" + config.domain() + ": " + describe(before.state()) + ")",
                    () -> signal(context, compose.get(), lastSignal));
        }
        if (!context.gate().applies()) {
            return;
        }
        long[] nextReport = {REPORT_EVERY.toNanos()};
        boolean[] resent = {false};
        Observation[] last = {before};
        Duration took = Poll.until(Poll.deadline(context), POLL, "certbot", elapsed -> {
            Observation seen = observe(context, id, lastSignal.get());
            last[0] = seen;
            if (seen.serving()) {
                return true;
            }
            if (seen.passEndedSinceSignal()) {
                if (seen.state() == BlockState.UNSEEN && !resent[0]) {
                    // The image ignores a SIGHUP that arrives while a pass runs: ours was lost. Once more only,
                    // since every pass asks the CA again.
                    resent[0] = true;
                    signal(context, compose.get(), lastSignal);
                } else {
                    throw failed(context, id, "the image's pass (re-scan, certbot, reload) ended without it ("
                            + describe(seen.state()) + ")");
                }
            }
            if (elapsed.toNanos() > nextReport[0]) {
                nextReport[0] = elapsed.toNanos() + REPORT_EVERY.toNanos();
                context.progress("waiting for certbot in the proxy to obtain a certificate for " + config.domain() + ": "
                        + elapsed.toSeconds() + " s (" + describe(seen.state()) + ")");
            }
            return false;
        }, () -> failed(context, id, "not within " + context.options().healthTimeout().toSeconds() + " s ("
                + describe(last[0].state()) + ")"));
        if (took.toSeconds() > 1) {
            context.progress("certbot obtained the certificate for " + config.domain() + "; nginx serves it after "
                    + took.toSeconds() + " s");
        }
    }

    private void signal(PlanContext context, ComposeCli compose, AtomicReference<Instant> lastSignal) {
        lastSignal.set(Instant.now());
        Command hup = refresh(compose, context.config().projects().proxy(), context.layout().proxyCompose());
        context.host().exec(hup).requireOk(hup);
    }

    private static StepFailedException failed(PlanContext context, String id, String why) {
        InstallConfig config = context.config();
        return new StepFailedException("the nginx-certbot proxy does not serve " + config.domain() + " on ports "
                + config.ports().https() + " and " + config.ports().federation() + ": " + why
                + "; last 50 log lines of nginx:\n" + context.engine().logs(id, 50).stripTrailing());
    }

    /**
     * What the agent can see of the image from outside.
     *
     * @param listening   nginx listens on both TLS ports (it binds them only with an enabled block)
     * @param reloaded    a worker is younger than this run's signal (or there was none): changes are loaded
     * @param sleepingFor how long the renewal loop has slept, when it sleeps (its pass is over)
     * @param signalled   seconds since this run's signal
     */
    record Observation(BlockState state, boolean listening, boolean reloaded, Optional<Long> sleepingFor,
            Optional<Long> signalled) {
        boolean serving() {
            return state == BlockState.ENABLED && listening && reloaded;
        }

        /**
         * The pass after the signal (or the start's) is over. 2 s of sleep first: the pass's `nginx -s reload`
         * returns before the new workers exist.
         */
        boolean passEndedSinceSignal() {
            return sleepingFor.filter(slept -> slept >= 2 && signalled.map(since -> slept < since).orElse(true)).isPresent();
        }
    }

    /** {@code lastSignal}: when this run last signalled the proxy, or null. */
    private Observation observe(PlanContext context, String id, Instant lastSignal) {
        InstallConfig config = context.config();
        Optional<Long> signalled = Optional.ofNullable(lastSignal).map(at -> Duration.between(at, Instant.now()).toSeconds());
        List<String[]> processes = processes(context.host(), id);
        boolean reloaded = signalled.map(since -> processes.stream()
                .anyMatch(p -> p[2].equals("nginx: worker process") && Long.parseLong(p[1]) < since)).orElse(true);
        Optional<Long> sleeping = processes.stream().filter(p -> p[2].startsWith("sleep "))
                .map(p -> Long.parseLong(p[1])).min(Long::compare);
        return new Observation(state(context.host(), id, config.domain()),
                listening(context.host(), config.ports().https()) && listening(context.host(), config.ports().federation()),
                reloaded, sleeping, signalled);
    }

    /** pid, seconds since start, command line of each process in the container. */
    private static List<String[]> processes(Host host, String containerId) {
        ExecResult top = host.exec(Commands.containerProcessAges(containerId));
        if (!top.ok()) {
            return List.of();
        }
        return top.stdout().lines().skip(1).map(line -> line.trim().split("\\s+", 3))
                .filter(fields -> fields.length == 3 && fields[1].matches("\\d+")).toList();
    }

    /** What the proxy's certbot holds (the agent keeps no certificate file in this mode). */
    @Override
    public List<String> statusLines(StatusSource source) {
        InstallConfig config = source.config();
        Optional<ServiceContainer> nginx = container(source.docker(), config.projects().proxy());
        if (nginx.isEmpty()) {
            return List.of("certificate: unknown (the proxy is not running)");
        }
        return List.of("certificate: " + config.domain() + " " + describe(state(source.host(), nginx.get().id(), config.domain())));
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

    /** nginx binds a TLS port only once it has loaded an enabled server block that listens there. */
    static boolean listening(Host host, int port) {
        ExecResult ss = host.exec(Commands.listeningSockets());
        return ss.ok() && ss.stdout().lines().map(line -> line.trim().split("\\s+"))
                .anyMatch(fields -> fields.length > 3 && fields[3].endsWith(":" + port));
    }
}
