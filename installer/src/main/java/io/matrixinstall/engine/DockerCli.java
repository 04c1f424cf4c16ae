package io.matrixinstall.engine;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Quick reads of the engine through the docker CLI on the host. They run through {@link Host}, so they
 * work the same over SSH, and cost a few milliseconds each, which keeps a no-op {@code up} fast.
 * Streams (pulls with progress, health waits, logs, one-off containers) go through {@link DockerEngine}.
 */
public final class DockerCli {
    private final Host host;

    public DockerCli(Host host) {
        this.host = host;
    }

    public Optional<String> imageId(String reference) {
        ExecResult result = host.exec(Commands.imageId(reference));
        if (result.ok()) {
            return Optional.of(result.stdout().strip());
        }
        if (result.stderr().contains("No such image")) {
            return Optional.empty();
        }
        throw new HostException("cannot inspect image " + reference + ": " + result.stderr().strip());
    }

    public List<ServiceContainer> projectContainers(String project) {
        ExecResult ids = host.exec(Commands.projectContainerIds(project));
        if (!ids.ok()) {
            throw new HostException("cannot list the containers of project " + project + ": " + ids.stderr().strip());
        }
        List<String> idList = ids.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (idList.isEmpty()) {
            return List.of();
        }
        ExecResult described = host.exec(Commands.describeContainers(idList));
        if (!described.ok()) {
            throw new HostException("cannot inspect the containers of project " + project + ": " + described.stderr().strip());
        }
        List<ServiceContainer> containers = new ArrayList<>();
        for (String line : described.stdout().lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length == 6) {
                containers.add(new ServiceContainer(f[0], f[1], f[2], Boolean.parseBoolean(f[3]),
                        f[4].isEmpty() ? Optional.empty() : Optional.of(f[4]), f[5]));
            }
        }
        containers.sort(Comparator.comparing(ServiceContainer::service));
        return containers;
    }
}
