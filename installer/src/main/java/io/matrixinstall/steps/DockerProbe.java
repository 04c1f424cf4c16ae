package io.matrixinstall.steps;

import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.command.ProgramsOnPath;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.util.Optional;

/** Read-only questions about Docker on a host, shared by {@code up} (which may install) and {@code renew} (which never does). */
final class DockerProbe {
    static final String DOCKERD = "dockerd";

    private DockerProbe() {}

    /** The engine DOCKER_HOST names (else the default socket) answers. */
    static boolean engineAnswers(Host host) {
        return succeeds(host, Commands.dockerInfo());
    }

    /** A Docker daemon is installed (whether or not it runs). */
    static boolean engineInstalled(Host host) {
        return installed(host, DOCKERD);
    }

    static boolean installed(Host host, String program) {
        try {
            return FactsHost.of(host).answer(ProgramsOnPath.QUESTION, program).isPresent();
        } catch (HostException e) {
            return false;
        }
    }

    /** v2 when the plugin answers, else v1 when installed (located, not started: it is a slow Python program). */
    static Optional<ComposeCli> compose(Host host) {
        if (succeeds(host, Commands.composeVersion(ComposeCli.V2))) {
            return Optional.of(ComposeCli.V2);
        }
        if (installed(host, ComposeCli.V1.prefix().get(0))) {
            return Optional.of(ComposeCli.V1);
        }
        return Optional.empty();
    }

    /** True when the program exists and exits 0; a missing program is just "no". */
    static boolean succeeds(Host host, Command command) {
        try {
            return FactsHost.of(host).ask(command).ok();
        } catch (HostException e) {
            return false;
        }
    }
}
