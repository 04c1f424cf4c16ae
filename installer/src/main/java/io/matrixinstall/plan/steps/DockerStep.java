package io.matrixinstall.plan.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.OsRelease;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure a working Docker engine and Compose (v2 plugin or v1 program) are there; skipped entirely
 * when they are. Otherwise installs them the seed's way (Docker's apt repository) or, with
 * {@code --docker-source distro}, from the distribution's docker.io and docker-compose.
 */
public final class DockerStep implements Step {
    static final List<String> DOCKER_PACKAGES = List.of("docker-ce", "docker-ce-cli", "containerd.io",
            "docker-buildx-plugin", "docker-compose-plugin");
    static final List<String> DISTRO_PACKAGES = List.of("docker.io", "docker-compose");
    static final Path DAEMON_JSON = Path.of("/etc/docker/daemon.json");
    static final Path KEY_FILE = Path.of("/etc/apt/keyrings/docker.asc");
    static final Path SOURCES = Path.of("/etc/apt/sources.list.d/docker.list");

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
        Optional<ComposeCli> compose = detectCompose(host);
        if (engineAnswers(host) && compose.isPresent()) {
            context.useCompose(compose.get());
            return;
        }
        OsRelease os = host.osRelease();
        boolean distro = context.options().dockerSource() == RunOptions.DockerSource.DISTRO;
        String what = distro ? "Docker from " + os.prettyName() + "'s packages (" + String.join(" ", DISTRO_PACKAGES) + ")"
                : "Docker from Docker's apt repository (" + String.join(" ", DOCKER_PACKAGES) + ")";
        context.gate().submit("install " + what, () -> {
            if (distro) {
                run(host, Commands.aptUpdate());
                run(host, Commands.aptInstall(DISTRO_PACKAGES));
            } else {
                addDockerRepository(host, os);
                run(host, Commands.aptInstall(DOCKER_PACKAGES));
            }
        });
        if (host.stat(DAEMON_JSON).isEmpty()) {
            // The seed's empty daemon.json: engine defaults. An existing one is the admin's and is kept.
            context.gate().submit("write " + DAEMON_JSON + " (root:root 0644)", () -> {
                host.createDirectory(DAEMON_JSON.getParent(), Ownership.ROOT, 0755);
                host.writeAtomically(DAEMON_JSON, "{}\n".getBytes(StandardCharsets.UTF_8), Ownership.ROOT, 0644);
            });
        } else {
            context.progress("keeping the existing " + DAEMON_JSON);
        }
        context.gate().submit("start the Docker engine (systemctl enable --now docker)",
                () -> run(host, Commands.enableService("docker")));
        if (context.gate().applies()) {
            if (!engineAnswers(host)) {
                throw new StepFailedException("Docker was installed but the engine does not answer `docker info`");
            }
            context.useCompose(detectCompose(host).orElseThrow(
                    () -> new StepFailedException("Docker was installed but neither `docker compose` nor `docker-compose` works")));
        }
    }

    private void addDockerRepository(Host host, OsRelease os) {
        run(host, Commands.aptUpdate());
        run(host, Commands.aptInstall(List.of("ca-certificates", "curl")));
        host.createDirectory(KEY_FILE.getParent(), Ownership.ROOT, 0755);
        run(host, Commands.downloadDockerKey(os.id(), KEY_FILE));
        host.setOwnerAndMode(KEY_FILE, Ownership.ROOT, 0644);
        String arch = run(host, Commands.dpkgArchitecture()).stdout().strip();
        byte[] sources = renderer.render("host/docker.list.ftl", Map.of("os_id", os.id(),
                "codename", os.codename().orElseThrow(), "arch", arch, "key_file", KEY_FILE.toString()));
        host.writeAtomically(SOURCES, sources, Ownership.ROOT, 0644);
        run(host, Commands.aptUpdate());
    }

    private static ExecResult run(Host host, io.matrixinstall.command.Command command) {
        return host.exec(command).requireOk(command);
    }

    static boolean engineAnswers(Host host) {
        return tryExec(host, Commands.dockerInfo());
    }

    /** v2 when the plugin answers, else v1 when installed (located, not started: it is a slow Python program). */
    static Optional<ComposeCli> detectCompose(Host host) {
        if (tryExec(host, Commands.composeVersion(ComposeCli.V2))) {
            return Optional.of(ComposeCli.V2);
        }
        if (tryExec(host, Commands.locate(ComposeCli.V1.prefix().get(0)))) {
            return Optional.of(ComposeCli.V1);
        }
        return Optional.empty();
    }

    /** True when the program exists and exits 0; a missing program is just "no". */
    private static boolean tryExec(Host host, io.matrixinstall.command.Command command) {
        try {
            return host.exec(command).ok();
        } catch (io.matrixinstall.host.HostException e) {
            return false;
        }
    }
}
