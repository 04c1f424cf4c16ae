package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.render.TemplateModel;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "up", description = "Install or converge the Matrix stack on this host and wait until Synapse is healthy.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    @ParentCommand
    MatrixInstall parent;

    @Option(names = "--dry-run", description = "Print every change `up` would make, one per line, and make none.")
    boolean dryRun;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Compare against a tree made by `render --root DIR` instead of this host's / (files only).")
    Path root;

    @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
            description = "Image pulls: always, missing (default) or never.")
    RunOptions.PullPolicy pull;

    @Option(names = "--docker-source", paramLabel = "SOURCE", defaultValue = "auto",
            description = "Where Docker comes from if absent: auto (default: Docker's apt repository when it answers,"
                    + " else the distribution's packages), docker or distro.")
    RunOptions.DockerSource dockerSource;

    @Option(names = "--push-images", description = "Air-gapped hosts (with --host): stream every image the host lacks from"
            + " this machine's Docker engine (docker save | docker load over the connection) and pull nothing.")
    boolean pushImages;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for Synapse to become healthy (default 300).")
    int timeoutSeconds;

    @Option(names = "--skip-dns-check", description = "Request certificates even when the domain does not seem to reach this host.")
    boolean skipDnsCheck;

    @Option(names = "--admin", paramLabel = "NAME",
            description = "At the end, create the admin account NAME (skipped when it exists) and say how to log in.")
    String admin;

    @Option(names = "--admin-password-file", paramLabel = "FILE",
            description = "The --admin account's password, from FILE (one line); without it, asked at the terminal.")
    Path adminPasswordFile;

    @Override
    public Integer call() throws Exception {
        if (root != null && hostOptions.remote()) {
            throw new io.matrixinstall.config.ConfigException("--root", "compares a tree on this machine; it cannot go with --host");
        }
        return hostOptions.run(lockOptions.runDir(), this::up);
    }

    private int up(Host host) {
        Console console = Console.system();
        InstallConfig config = configOptions.load(host);
        // Name and password before any change: a bad name or no way to get a password must not leave half an install.
        FirstAdmin firstAdmin = admin == null ? null : FirstAdmin.ask(config, admin, adminPasswordFile);
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        if (pushImages && root != null) {
            throw new io.matrixinstall.config.ConfigException("--push-images", "a render root has no engine to push to");
        }
        if (root != null) {
            PlanRunner.run(config, new RootedHost(new LocalHost(), root), Plan.files(), gate, console);
            return 0;
        }
        RunOptions options = new RunOptions(pushImages ? pushPullPolicy(host) : pull, dockerSource,
                Duration.ofSeconds(timeoutSeconds), skipDnsCheck, pushImages);
        PlanContext context = new PlanContext(config, host, gate, options, console::progress, DockerEngine::connect);
        io.matrixinstall.ops.StateDir state = configOptions.stateDir();
        try (io.matrixinstall.ops.HostOperation operation = OperationRunner.begin(lockOptions, host, state, "up", dryRun,
                console)) {
            try {
                PlanRunner.run(context, Plan.up(config, state), console, parent != null && parent.verbose);
                if (firstAdmin != null) {
                    firstAdmin.create(host, gate, console);
                }
                operation.succeeded(!gate.changes().isEmpty(), gate.changes().size() + " change(s)");
            } catch (RuntimeException e) {
                operation.failed(e);
                throw e;
            }
        } finally {
            context.close();
        }
        if (!dryRun) {
            console.line("synapse is healthy: http://127.0.0.1:" + config.ports().synapse() + "/health");
        }
        if (config.delegated()) {
            // Well-known delegation lives on another web host, which the agent does not manage: say what to publish.
            console.line(new String(new TemplateRenderer().render("host/delegation.txt.ftl",
                    TemplateModel.of(config, new Layout(config), null)), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        return 0;
    }

    /**
     * {@code --push-images} replaces pulls, so Compose is told never to pull. Refused without {@code --host}: the
     * engine `up` would push to is the very one the images come from.
     */
    private RunOptions.PullPolicy pushPullPolicy(Host host) {
        if (io.matrixinstall.plan.steps.AgentOnHost.isThisMachine(host)) {
            throw new io.matrixinstall.config.ConfigException("--push-images", "nothing to push to: without --host, up uses"
                    + " this machine's own engine, where the images come from");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--pull") && pull != RunOptions.PullPolicy.NEVER) {
            throw new io.matrixinstall.config.ConfigException("--push-images", "pulls nothing; leave out --pull " + pull.name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        return RunOptions.PullPolicy.NEVER;
    }
}
