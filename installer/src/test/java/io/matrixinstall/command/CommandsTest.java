package io.matrixinstall.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandsTest {
    private static final Path COMPOSE = Path.of("/data/matrix/docker-compose.yml");

    @Test
    void composeRunsInTheStackDirectoryWithAnExplicitProject() {
        Command v2 = Commands.composeUp(ComposeCli.V2, "matrix", COMPOSE);
        assertEquals(List.of("docker", "compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "up", "-d",
                "--remove-orphans"), v2.argv());
        assertEquals(Optional.of(Path.of("/data/matrix")), v2.workingDirectory());
        Command v1 = Commands.composeRestart(ComposeCli.V1, "matrix", COMPOSE, List.of("synapse", "element"));
        assertEquals(List.of("docker-compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "restart",
                "synapse", "element"), v1.argv());
    }

    @Test
    void aptIsNonInteractiveAndWaitsForTheLock() {
        Command install = Commands.aptInstall(List.of("docker-ce", "docker-compose-plugin"));
        assertEquals(List.of("apt-get", "-q", "-o", "DPkg::Lock::Timeout=120", "install", "-y", "--no-install-recommends",
                "docker-ce", "docker-compose-plugin"), install.argv());
        assertEquals(Map.of("DEBIAN_FRONTEND", "noninteractive"), install.environment());
    }

    @Test
    void dockerKeyComesFromTheRepositoryOfTheDetectedDistribution() {
        assertEquals(List.of("curl", "-fsSL", "-o", "/etc/apt/keyrings/docker.asc", "https://download.docker.com/linux/ubuntu/gpg"),
                Commands.downloadDockerKey("ubuntu", Path.of("/etc/apt/keyrings/docker.asc")).argv());
    }

    @Test
    void containerDescriptionToleratesContainersWithoutHealthCheck() {
        Command describe = Commands.describeContainers(List.of("abc"));
        assertEquals("{{index .Config.Labels \"com.docker.compose.service\"}}\t{{.Id}}\t{{.Image}}\t{{.State.Running}}\t"
                + "{{with index .State \"Health\"}}{{.Status}}{{end}}\t{{.State.StartedAt}}", describe.argv().get(3));
        assertEquals("abc", describe.argv().get(4));
    }

    @Test
    void probesAreArgvNotShellStrings() {
        assertEquals(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Commands.dockerInfo().argv());
        assertEquals(List.of("docker-compose", "version"), Commands.composeVersion(ComposeCli.V1).argv());
        assertEquals(List.of("df", "-P", "-B1", "/data/my dir"), Commands.freeBytes(Path.of("/data/my dir")).argv());
        assertEquals(List.of("ss", "-H", "-l", "-t", "-n", "-p"), Commands.listeningSockets().argv());
        assertEquals(List.of("id", "-u"), Commands.userId().argv());
    }

    @Test
    void theCertbotProxyIsSignalledThroughComposeAndProbedWithoutAShell() {
        Command hup = Commands.composeSignal(ComposeCli.V2, "nginx", Path.of("/root/nginx/compose.yml"), "SIGHUP", "nginx");
        assertEquals(List.of("docker", "compose", "-p", "nginx", "-f", "/root/nginx/compose.yml", "kill", "-s", "SIGHUP",
                "nginx"), hup.argv());
        assertEquals(Optional.of(Path.of("/root/nginx")), hup.workingDirectory());
        assertEquals(List.of("docker", "exec", "abc", "test", "-e", "/etc/nginx/conf.d/matrix.example.org.conf"),
                Commands.existsInContainer("abc", "/etc/nginx/conf.d/matrix.example.org.conf").argv());
        assertEquals(List.of("docker", "top", "abc", "-eo", "pid,etimes,args"), Commands.containerProcessAges("abc").argv());
    }
}
