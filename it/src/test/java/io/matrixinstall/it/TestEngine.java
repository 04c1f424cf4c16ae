package io.matrixinstall.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Docker engine scripts/prepare-test-host.sh made ready (a private dockerd when the machine had
 * none). Tests hand its address to the agent through DOCKER_HOST, as a user's shell would.
 */
public final class TestEngine {
    /** MATRIX_IT_ENV_FILE names another harness's env file (a second engine while developing). */
    static final Path ENV_FILE = Path.of(System.getenv().getOrDefault("MATRIX_IT_ENV_FILE", "/run/matrix-install-it/env"));

    private TestEngine() {}

    /**
     * Where the agents of this test JVM record their installs: a temp directory, never the machine's
     * /etc/matrix-install (tests write only in their own temp directories).
     */
    static final Path STATE_DIR = stateDir();

    public static Map<String, String> environment() {
        Map<String, String> environment = new java.util.HashMap<>(Map.of("MATRIX_INSTALL_STATE_DIR", STATE_DIR.toString()));
        try {
            if (Files.exists(ENV_FILE)) {
                for (String line : Files.readAllLines(ENV_FILE)) {
                    if (line.startsWith("DOCKER_HOST=")) {
                        environment.put("DOCKER_HOST", line.substring("DOCKER_HOST=".length()).trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + ENV_FILE, e);
        }
        return Map.copyOf(environment);
    }

    private static Path stateDir() {
        try {
            return Files.createTempDirectory("matrix-install-state");
        } catch (IOException e) {
            throw new AssertionError("cannot create a state directory", e);
        }
    }

    public static Run docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return Run.of(argv, environment(), 300);
    }

    /** Container id of a compose service, or "" when there is none. */
    static String container(String project, String service) {
        return docker("ps", "-a", "-q", "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=" + service).assertOk().stdout().strip();
    }

    /** "id startedAt" of a service: changes when the container is recreated or restarted. */
    static String identity(String project, String service) {
        String id = container(project, service);
        return docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", id).assertOk().stdout().strip();
    }
}
