package io.matrixinstall.engine;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.net.InetSocketAddress;

/**
 * A port of a compose service at its running container's own address on the project network, reached through
 * {@link Host#reach} (that address on this host, an SSH forward from elsewhere). Only the container can answer
 * there: a port published on the host's loopback is free for any local user to bind while the container is
 * stopped, crashing or being recreated, so nothing that carries a secret (a password, a token, a registration
 * proof) is ever sent to one. No container running means no connection at all.
 */
public final class ServiceEndpoint {
    private ServiceEndpoint() {}

    /** Where {@code service}'s {@code containerPort} answers, as the agent reaches it. */
    public static InetSocketAddress reach(Host host, String project, String service, int containerPort) {
        return host.reach(address(host, project, service), containerPort);
    }

    /** The running container's address on its first network, as the engine reports it this instant. */
    static String address(Host host, String project, String service) {
        ServiceContainer container = Containers.now(host, project).stream()
                .filter(c -> c.service().equals(service)).findFirst()
                .orElseThrow(() -> new HostException("the " + service + " service has no container (project " + project
                        + "): run `matrix-install up`"));
        if (!container.running()) {
            throw new HostException("the " + service + " container is not running: run `matrix-install start`");
        }
        ExecResult addresses = host.exec(Commands.containerAddresses(container.id()));
        if (!addresses.ok()) {
            throw new HostException("cannot read the " + service + " container's address: " + addresses.stderr().strip());
        }
        return addresses.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).findFirst()
                .orElseThrow(() -> new HostException("the " + service + " container has no network address"));
    }
}
