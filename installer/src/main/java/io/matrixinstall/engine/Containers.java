package io.matrixinstall.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import java.util.List;

/**
 * The one reader of compose projects' containers ({@link ProjectContainers}: one call for all projects asked, parsed
 * by {@link ServiceContainer#parseByProject}), remembered through {@link DockerCli} or, for polls and reads that must
 * see the instant, live here.
 */
public final class Containers {
    private Containers() {}

    /** The project's containers as the engine reports them this instant. */
    public static List<ServiceContainer> now(Host host, String project) {
        return ProjectContainers.QUESTION.now(host, project);
    }

    /** Runs the container's own health check now (see {@link DockerCli#healthyNow}). */
    public static boolean healthyNow(Host host, ServiceContainer container) {
        List<String> argv = container.healthCheck();
        if (argv == null) {
            ExecResult test = host.exec(Commands.healthCheckTest(container.id()));
            if (!test.ok()) {
                return false;
            }
            try {
                argv = List.of(new ObjectMapper().readValue(test.stdout(), String[].class));
            } catch (JsonProcessingException e) {
                return false;
            }
        }
        if (argv.isEmpty() || argv.get(0).equals("NONE")) {
            return container.running();
        }
        List<String> program = argv.get(0).equals("CMD-SHELL") ? List.of("/bin/sh", "-c", String.join(" ", argv.subList(1, argv.size())))
                : argv.subList(1, argv.size());
        return host.exec(Commands.dockerExec(container.id(), program)).ok();
    }
}
