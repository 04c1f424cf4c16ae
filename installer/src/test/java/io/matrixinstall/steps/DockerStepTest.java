package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.up.Plans;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.provision.InitSystem;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.plan.RunOptions.DockerSource;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.render.TemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker step's plan on a bare host: a render root over a real directory, which has an os-release and
 * (optionally) systemd's runtime directory but runs no programs, so no engine, Compose or curl is found.
 */
class DockerStepTest {
    private static final String DEBIAN = "Debian GNU/Linux 12 (bookworm)";

    @TempDir
    Path root;

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "self-signed"));

    @BeforeEach
    void bareDebian() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"" + DEBIAN + "\"\nNAME=\"Debian GNU/Linux\"\n"
                + "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n");
    }

    private List<String> dryRun(DockerSource source) {
        PlanContext context = context(source);
        new DockerStep(new TemplateRenderer()).run(context);
        return context.gate().changes();
    }

    private PlanContext context(DockerSource source) {
        RunOptions options = new RunOptions(RunOptions.PullPolicy.MISSING, source, Duration.ofMinutes(5), false);
        return new PlanContext(config, new RootedHost(new LocalHost(), root), ChangeGate.recording(line -> {}), options,
                line -> {}, DockerEngine::connect);
    }

    @Test
    void withoutSystemdTheEngineIsStartedByTheDistributionsInitScript() {
        assertEquals(List.of(
                "install docker.io docker-compose from " + DEBIAN + "'s packages",
                "write /etc/docker/daemon.json (root:root 0644)",
                "start the Docker engine (/etc/init.d/docker start)"), dryRun(DockerSource.DISTRO));
    }

    @Test
    void withSystemdAsPid1TheEngineIsEnabledThroughSystemctl() throws IOException {
        Files.createDirectories(root.resolve("run/systemd/system"));
        assertEquals(List.of(
                "install ca-certificates curl from " + DEBIAN + "'s packages",
                "download https://download.docker.com/linux/debian/gpg to /etc/apt/keyrings/docker.asc (root:root 0644)",
                "write /etc/apt/sources.list.d/docker.list (root:root 0644)",
                "install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin from Docker's apt"
                        + " repository",
                "write /etc/docker/daemon.json (root:root 0644)",
                "start the Docker engine (systemctl enable --now docker)"), dryRun(DockerSource.DOCKER));
    }

    @Test
    void autoProbesDockersRepositoryOnlyOnceCurlIsThereAndSaysWhatItFallsBackTo() throws IOException {
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), "{\"log-driver\": \"local\"}\n");
        assertEquals(List.of(
                "install ca-certificates curl from " + DEBIAN + "'s packages",
                "if https://download.docker.com/linux/debian/gpg answers: install ca-certificates curl from " + DEBIAN
                        + "'s packages; download https://download.docker.com/linux/debian/gpg to /etc/apt/keyrings/docker.asc"
                        + " (root:root 0644); write /etc/apt/sources.list.d/docker.list (root:root 0644); install docker-ce"
                        + " docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin from Docker's apt repository;"
                        + " else: install docker.io docker-compose from " + DEBIAN + "'s packages",
                "start the Docker engine (/etc/init.d/docker start)"), dryRun(DockerSource.AUTO));
    }

    @Test
    void filesTheRecipeWroteAlreadyAreNotPlannedAgainAndAnAdminsDaemonJsonIsKept() throws IOException {
        Files.createDirectories(root.resolve("etc/apt/keyrings"));
        Files.writeString(root.resolve("etc/apt/keyrings/docker.asc"), "key");
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), "{}\n");
        assertEquals(List.of(
                "install ca-certificates curl from " + DEBIAN + "'s packages",
                "write /etc/apt/sources.list.d/docker.list (root:root 0644)",
                "install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin from Docker's apt"
                        + " repository",
                "start the Docker engine (/etc/init.d/docker start)"), dryRun(DockerSource.DOCKER));
    }

    @Test
    void renewNeverInstallsDockerItOnlyLooksForTheRunningEngine() {
        PlanContext context = context(DockerSource.AUTO);
        Plan renew = Plans.renew(false);
        StepFailedException e = assertThrows(StepFailedException.class, () -> renew.run(context));
        assertEquals("no Docker engine answers `docker info`: renew uses the engine `up` set up and installs nothing;"
                + " start it (/etc/init.d/docker start) or run `up`", e.getMessage());
        assertEquals(List.of(), context.gate().changes());
    }

    @Test
    void initSystemIsSystemdExactlyWhenItsRuntimeDirectoryExists() throws IOException {
        RootedHost host = new RootedHost(new LocalHost(), root);
        assertEquals(InitSystem.INIT_SCRIPTS, InitSystem.of(host));
        Files.createDirectories(root.resolve("run/systemd/system"));
        assertEquals(InitSystem.SYSTEMD, InitSystem.of(host));
    }

    @Test
    void recipeNamesEachDistributionsPackagesAndRefusesAnUnknownOne() {
        assertEquals(List.of("docker.io", "docker-compose-v2"), DockerStep.packages("ubuntu", DockerSource.DISTRO, false));
        assertEquals(List.of("ca-certificates", "curl", "docker-compose-plugin"),
                DockerStep.packages("ubuntu", DockerSource.DOCKER, true));
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> DockerStep.packages("fedora", DockerSource.DISTRO, false));
        assertEquals("provisioning/docker.yaml has no recipe for distribution 'fedora' (it knows debian, ubuntu)", e.getMessage());
    }
}
