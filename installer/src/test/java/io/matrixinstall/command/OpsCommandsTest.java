package io.matrixinstall.command;

import io.matrixinstall.host.Command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** argv of the commands that operate an installed server (start/stop/status/uninstall). */
class OpsCommandsTest {
    private static final Path COMPOSE = Path.of("/data/matrix/docker-compose.yml");

    @Test
    void stopAndStartActOnOneServiceInTheStackDirectory() {
        Command stop = Commands.composeStop(ComposeCli.V1, "matrix", COMPOSE, "synapse");
        assertEquals(List.of("docker-compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "stop", "synapse"),
                stop.argv());
        assertEquals(Optional.of(Path.of("/data/matrix")), stop.workingDirectory());
        assertEquals(List.of("docker", "compose", "-p", "nginx", "-f", "/root/nginx/compose.yml", "start", "nginx"),
                Commands.composeStart(ComposeCli.V2, "nginx", Path.of("/root/nginx/compose.yml"), "nginx").argv());
    }

    @Test
    void downKeepsVolumesUnlessPurging() {
        assertEquals(List.of("docker-compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "down", "--remove-orphans"),
                Commands.composeDown(ComposeCli.V1, "matrix", COMPOSE, false).argv());
        assertEquals(List.of("docker-compose", "-p", "matrix", "-f", "/data/matrix/docker-compose.yml", "down", "--remove-orphans",
                "--volumes"), Commands.composeDown(ComposeCli.V1, "matrix", COMPOSE, true).argv());
    }

    @Test
    void statusReadsContainersAndImagesInOneCallEach() {
        // Containers: every one of the project, running or not, listed and inspected in one call (ContainersTest reads it).
        Command one = Commands.projectContainers(List.of("matrix"));
        assertEquals(List.of("sh", "-c"), one.argv().subList(0, 2));
        assertTrue(one.argv().get(2).contains("docker ps -a -q --no-trunc --filter \"label=com.docker.compose.project=$1\""));
        assertTrue(one.argv().get(2).contains("exec docker inspect $ids"));
        assertEquals("matrix", one.argv().get(one.argv().size() - 1));
        // Several projects in the same one call (docker ANDs label filters: one ps of all compose containers, the
        // shell keeps the projects asked, given as arguments, never spliced into the script).
        Command containers = Commands.projectContainers(List.of("matrix", "matrix-proxy"));
        assertEquals(List.of("sh", "-c"), containers.argv().subList(0, 2));
        assertTrue(containers.argv().get(2).contains("docker ps -a --no-trunc --filter label=com.docker.compose.project"));
        assertTrue(containers.argv().get(2).contains("exec docker inspect $ids"));
        assertEquals(List.of("matrix", "matrix-proxy"), containers.argv().subList(containers.argv().size() - 2, containers.argv().size()));
        assertEquals(List.of("docker", "image", "inspect", "--format", "{{.Id}}\t{{.Created}}\t{{json .RepoDigests}}", "sha256:x"),
                Commands.imageStatus(List.of("sha256:x")).argv());
        assertEquals(List.of("docker", "volume", "inspect", "--format", "{{.Mountpoint}}", "matrix_postgres-data"),
                Commands.volumeMountpoint("matrix_postgres-data").argv());
        assertEquals(List.of("du", "-s", "-x", "-B1", "/data/matrix"), Commands.diskUsage(Path.of("/data/matrix")).argv());
        assertEquals(List.of("docker", "volume", "ls", "-q", "--filter", "label=com.docker.compose.project=matrix"),
                Commands.projectVolumes("matrix").argv());
        assertEquals(List.of("timedatectl", "show", "--property=NTPSynchronized", "--value"),
                Commands.clockSynchronized().argv());
    }

    @Test
    void removeTreeStaysOnItsFileSystemAndRefusesTopLevelPaths() {
        assertEquals(List.of("rm", "-rf", "--one-file-system", "--", "/data/matrix"),
                Commands.removeTree(Path.of("/data/matrix")).argv());
        assertThrows(IllegalArgumentException.class, () -> Commands.removeTree(Path.of("/")));
        assertThrows(IllegalArgumentException.class, () -> Commands.removeTree(Path.of("/data")));
    }
}
