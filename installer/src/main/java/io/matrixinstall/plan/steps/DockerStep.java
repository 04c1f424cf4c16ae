package io.matrixinstall.plan.steps;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.OsRelease;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions.DockerSource;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code up}: makes sure a Docker engine answers and Compose (v2 plugin or v1 program) works; does nothing
 * when they do. Otherwise installs what is missing as {@code provisioning/docker.yaml} says (Docker's apt
 * repository as in the seed, or the distribution's packages when that repository cannot be reached or
 * {@code --docker-source distro} asks), writes the seed's daemon.json, and starts the engine the way the
 * host starts services (systemd, or the init script where systemd is not PID 1).
 */
public final class DockerStep implements Step {
    static final Path DAEMON_JSON = Path.of("/etc/docker/daemon.json");
    static final Path KEY_FILE = Path.of("/etc/apt/keyrings/docker.asc");
    static final Path SOURCES = Path.of("/etc/apt/sources.list.d/docker.list");
    /** Short: an unreachable repository must not hold up an install that can use the distribution's packages. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(10);

    private final TemplateRenderer renderer;

    public DockerStep(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        Optional<ComposeCli> compose = DockerProbe.compose(host);
        boolean answers = DockerProbe.engineAnswers(host);
        if (answers && compose.isPresent()) {
            context.useCompose(compose.get());
            return;
        }
        boolean engineInstalled = answers || DockerProbe.engineInstalled(host);
        if (!engineInstalled || compose.isEmpty()) {
            install(context, engineInstalled);
        }
        if (!answers && host.stat(DAEMON_JSON).isEmpty()) {
            // The seed's empty daemon.json: engine defaults. An existing one is the admin's and is kept.
            context.gate().submit("write " + DAEMON_JSON + " (root:root 0644)", () -> {
                host.createDirectory(DAEMON_JSON.getParent(), Ownership.ROOT, 0755);
                host.writeAtomically(DAEMON_JSON, renderer.render("host/daemon.json.ftl", Map.of()), Ownership.ROOT, 0644);
            });
        }
        if (!answers) {
            EngineStart.submit(context);
        }
        if (context.gate().applies()) {
            context.useCompose(DockerProbe.compose(host).orElseThrow(
                    () -> new StepFailedException("Docker was installed but neither `docker compose` nor `docker-compose` works")));
        }
    }

    private void install(PlanContext context, boolean engineInstalled) {
        Host host = context.host();
        OsRelease os = host.osRelease();
        DockerRecipe recipe = DockerRecipe.forDistribution(os.id());
        Optional<DockerSource> source = context.options().dockerSource() == DockerSource.AUTO
                ? chooseSource(context, recipe, os) : Optional.of(context.options().dockerSource());
        if (source.isEmpty()) {
            // Dry run without curl: the repository can only be probed once curl is installed.
            context.gate().submit("install Docker from Docker's apt repository (" + String.join(" ",
                    recipe.packages(DockerSource.DOCKER, engineInstalled)) + ") if " + recipe.repository() + " answers, else from "
                    + os.prettyName() + "'s packages (" + String.join(" ", recipe.packages(DockerSource.DISTRO, engineInstalled))
                    + ")", () -> {});
            return;
        }
        List<String> packages = recipe.packages(source.get(), engineInstalled);
        String from = source.get() == DockerSource.DOCKER ? "Docker's apt repository" : os.prettyName() + "'s packages";
        context.gate().submit("install " + (engineInstalled ? "Compose" : "Docker") + " from " + from + " ("
                + String.join(" ", packages) + ")", () -> {
                    if (source.get() == DockerSource.DOCKER) {
                        addDockerRepository(host, os, recipe);
                    } else {
                        run(host, Commands.aptUpdate());
                    }
                    run(host, Commands.aptInstall(packages));
                });
    }

    /**
     * {@code --docker-source auto}: Docker's repository when it answers within {@link #PROBE_LIMIT}, else the
     * distribution's packages, said in one line. Empty only in a dry run on a host without curl.
     */
    private static Optional<DockerSource> chooseSource(PlanContext context, DockerRecipe recipe, OsRelease os) {
        Host host = context.host();
        if (!DockerProbe.installed(host, "curl")) {
            context.gate().submit("install ca-certificates curl from " + os.prettyName()
                    + "'s packages (to reach Docker's apt repository)", () -> {
                        run(host, Commands.aptUpdate());
                        run(host, Commands.aptInstall(List.of("ca-certificates", "curl")));
                    });
            if (!context.gate().applies()) {
                return Optional.empty();
            }
        }
        Command probe = Commands.probeUrl(recipe.repository() + "/gpg", PROBE_LIMIT);
        ExecResult answer = host.exec(probe);
        if (answer.ok()) {
            return Optional.of(DockerSource.DOCKER);
        }
        context.progress("Docker's apt repository " + recipe.repository() + " cannot be reached (curl exit "
                + answer.exitCode() + "): using " + os.prettyName() + "'s packages instead");
        return Optional.of(DockerSource.DISTRO);
    }

    private void addDockerRepository(Host host, OsRelease os, DockerRecipe recipe) {
        run(host, Commands.aptUpdate());
        run(host, Commands.aptInstall(List.of("ca-certificates", "curl")));
        host.createDirectory(KEY_FILE.getParent(), Ownership.ROOT, 0755);
        run(host, Commands.downloadDockerKey(recipe.repository(), KEY_FILE));
        host.setOwnerAndMode(KEY_FILE, Ownership.ROOT, 0644);
        String arch = run(host, Commands.dpkgArchitecture()).stdout().strip();
        byte[] sources = renderer.render("host/docker.list.ftl", Map.of("repository", recipe.repository(),
                "codename", os.codename().orElseThrow(), "arch", arch, "key_file", KEY_FILE.toString()));
        host.writeAtomically(SOURCES, sources, Ownership.ROOT, 0644);
        run(host, Commands.aptUpdate());
    }

    private static ExecResult run(Host host, Command command) {
        return host.exec(command).requireOk(command);
    }
}
