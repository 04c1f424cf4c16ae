package io.matrixinstall.cli;

import io.matrixinstall.component.TemplateModel;
import io.matrixinstall.up.Plans;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.component.Components;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.steps.AgentOnHost;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", description = "Install or converge the Matrix stack on this host and wait until Synapse is healthy.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Install changeOptions;

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

    @Spec
    CommandSpec spec;

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
        if (root != null && changeOptions.remote()) {
            throw new ConfigException("--root", "compares a tree on this machine; it cannot go with --host");
        }
        return changeOptions.run(spec, this::up);
    }

    private int up(RunFrame frame) {
        Host host = frame.host();
        InstallConfig config = changeOptions.load(host);
        // Name and password before any change: a bad name or no way to get a password must not leave half an install.
        FirstAdmin firstAdmin = admin == null ? null : FirstAdmin.ask(config, admin, adminPasswordFile);
        if (pushImages && root != null) {
            throw new ConfigException("--push-images", "a render root has no engine to push to");
        }
        if (root != null) {
            return RenderCommand.files(frame, root, config, dryRun);
        }
        RunOptions options = new RunOptions(pushImages ? pushPullPolicy(host) : pull, dockerSource,
                Duration.ofSeconds(timeoutSeconds), skipDnsCheck, pushImages);
        StateDir state = changeOptions.stateDir();
        return frame.change("up", changeOptions.lock(), state).dryRun(dryRun).options(options).run(config, context -> {
            frame.plan(context, Plans.up(state));
            List<String> after = new ArrayList<>();
            if (firstAdmin != null) {
                after.addAll(firstAdmin.create(host, context.gate()));
            }
            if (!dryRun) {
                after.add("synapse is healthy: http://127.0.0.1:" + config.ports().synapse() + "/health");
            }
            // What an optional component needs from outside the host (TURN's ports): said when this run changed it.
            after.addAll(Components.notices(context.layout(), context.gate().recorded()));
            if (config.delegated()) {
                // Well-known delegation lives on another web host, which the agent does not manage: say what to publish.
                after.add(new String(new TemplateRenderer().render("host/delegation.txt.ftl",
                        TemplateModel.of(config, new Layout(config), null)), StandardCharsets.UTF_8).strip());
            }
            Outcome outcome = Outcome.of(context);
            return outcome.detail(outcome.changes() + " change(s)").then(after);
        });
    }

    /**
     * {@code --push-images} replaces pulls, so Compose is told never to pull. Refused without {@code --host}: the
     * engine `up` would push to is the very one the images come from.
     */
    private RunOptions.PullPolicy pushPullPolicy(Host host) {
        if (AgentOnHost.isThisMachine(host)) {
            throw new ConfigException("--push-images", "nothing to push to: without --host, up uses"
                    + " this machine's own engine, where the images come from");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--pull") && pull != RunOptions.PullPolicy.NEVER) {
            throw new ConfigException("--push-images", "pulls nothing; leave out --pull " + pull.name()
                    .toLowerCase(Locale.ROOT));
        }
        return RunOptions.PullPolicy.NEVER;
    }
}
