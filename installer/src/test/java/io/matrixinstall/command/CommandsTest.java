package io.matrixinstall.command;

import io.matrixinstall.host.Command;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.host.HostCommands;
import com.sun.net.httpserver.HttpServer;
import io.matrixinstall.host.LocalHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
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
    void namesAreResolvedByTheHostsResolverAndTheEngineIsDialledThroughItsCli() {
        assertEquals(List.of("getent", "ahosts", "--", "matrix.example.org"), HostCommands.resolveName("matrix.example.org").argv());
        assertEquals(List.of("docker", "system", "dial-stdio"), Commands.dockerDialStdio().argv());
        // the real getent answers as Host.resolve parses it (localhost comes from /etc/hosts: no DNS asked)
        String localhost = new LocalHost().exec(HostCommands.resolveName("localhost")).stdout();
        assertEquals(true, localhost.lines().anyMatch(line -> line.matches("(127\\.0\\.0\\.1|::1)\\s+STREAM.*")), localhost);
    }

    @Test
    void aptIsNonInteractiveAndWaitsForTheLock() {
        Command install = Commands.aptInstall(List.of("docker-ce", "docker-compose-plugin"));
        assertEquals(List.of("apt-get", "-q", "-o", "DPkg::Lock::Timeout=120", "install", "-y", "--no-install-recommends",
                "docker-ce", "docker-compose-plugin"), install.argv());
        assertEquals(Map.of("DEBIAN_FRONTEND", "noninteractive"), install.environment());
    }

    @Test
    void downloadsSaveTheUrlWhereTheRecipeSays() {
        assertEquals(List.of("curl", "-fsSL", "--max-time", "60", "-o", "/etc/apt/keyrings/docker.asc",
                "https://download.docker.com/linux/ubuntu/gpg"),
                Commands.download("https://download.docker.com/linux/ubuntu/gpg", Path.of("/etc/apt/keyrings/docker.asc")).argv());
    }

    @Test
    void provisioningReadsAreSingleProgramsWithoutAShell() {
        assertEquals(List.of("dpkg-query", "-W", "-f=${db:Status-Abbrev}\\n", "default-jre-headless"),
                Commands.packagesStatus(List.of("default-jre-headless")).argv());
        assertEquals(List.of("/usr/bin/java", "-version"), Commands.javaVersion(Path.of("/usr/bin/java")).argv());
        assertEquals(List.of("sha256sum", "--", "/usr/local/lib/matrix-install/matrix-install.jar"),
                Commands.sha256(Path.of("/usr/local/lib/matrix-install/matrix-install.jar")).argv());
    }

    @Test
    void pushedImagesAreSavedHereLoadedThereAndComposeIsToldNeverToPull() {
        assertEquals(List.of("docker", "save", "postgres:15-alpine"), Commands.saveImage("postgres:15-alpine").argv());
        assertEquals(List.of("docker", "load"), Commands.loadImage().argv());
        assertEquals(List.of("docker", "image", "inspect", "--format", "{{.Id}} {{.Size}}", "nginx:stable-alpine"),
                Commands.imageIdAndSize("nginx:stable-alpine").argv());
        assertEquals(List.of("docker", "compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "up", "-d",
                "--remove-orphans", "--pull", "never"), Commands.composeUp(ComposeCli.V2, "matrix", COMPOSE, true).argv());
        // v1 has no --pull: it pulls only absent images, and the images step has made sure none is.
        assertEquals(List.of("docker-compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "up", "-d",
                "--remove-orphans"), Commands.composeUp(ComposeCli.V1, "matrix", COMPOSE, true).argv());
        assertEquals(Map.of("DOCKER_HOST", "unix:///tmp/other.sock"),
                Commands.saveImage("x").withEnvironment(Map.of("DOCKER_HOST", "unix:///tmp/other.sock")).environment());
    }

    @Test
    void servicesStartThroughSystemdOrTheInitScript() {
        assertEquals(List.of("systemctl", "enable", "--now", "docker"), Commands.enableService("docker").argv());
        assertEquals(List.of("/etc/init.d/docker", "start"), Commands.initScript("docker", "start").argv());
        // The init script's own files, so `/etc/init.d/docker status|stop` manage a dockerd started this way.
        assertEquals(List.of("start-stop-daemon", "--start", "--oknodo", "--background", "--output", "/var/log/docker.log",
                "--make-pidfile", "--pidfile", "/var/run/docker-ssd.pid", "--exec", "/usr/sbin/dockerd", "--",
                "-p", "/var/run/docker.pid"), Commands.startDockerd(Path.of("/usr/sbin/dockerd")).argv());
    }

    @Test
    void repositoryProbeIsAShortHeadRequest() {
        Command probe = Commands.probeUrl("https://download.docker.com/linux/debian/gpg", Duration.ofSeconds(10));
        assertEquals(List.of("curl", "-fsI", "-o", "/dev/null", "--max-time", "10",
                "https://download.docker.com/linux/debian/gpg"), probe.argv());
        assertEquals(Duration.ofSeconds(15), probe.timeout());
    }

    /** The probe run for real against loopback: only curl's exit code decides. */
    @Test
    void repositoryProbeAnswersByExitCode() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/gpg", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        LocalHost host = new LocalHost();
        try {
            assertEquals(0, host.exec(Commands.probeUrl("http://127.0.0.1:" + port + "/gpg", Duration.ofSeconds(5))).exitCode());
            assertEquals(22, host.exec(Commands.probeUrl("http://127.0.0.1:" + port + "/missing", Duration.ofSeconds(5))).exitCode());
        } finally {
            server.stop(0);
        }
        // Nothing listens there any more: refused at once (7), not after the time limit.
        assertEquals(7, host.exec(Commands.probeUrl("http://127.0.0.1:" + port + "/gpg", Duration.ofSeconds(5))).exitCode());
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
