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
    /** Answers of this run's reads, until something changes: a no-op run asks the engine each question once. */
    private final java.util.Map<List<String>, ExecResult> answers = new java.util.HashMap<>();

    public DockerCli(Host host) {
        this.host = host;
    }

    /** Forgets every answer: called around each change the plan applies. */
    public void forget() {
        answers.clear();
    }

    private ExecResult read(io.matrixinstall.command.Command command) {
        ExecResult known = answers.get(command.argv());
        if (known == null) {
            known = host.exec(command);
            answers.put(command.argv(), known);
        }
        return known;
    }

    public Optional<String> imageId(String reference) {
        ExecResult result = read(Commands.imageId(reference));
        if (result.ok()) {
            return Optional.of(result.stdout().strip());
        }
        if (result.stderr().contains("No such image")) {
            return Optional.empty();
        }
        throw new HostException("cannot inspect image " + reference + ": " + result.stderr().strip());
    }

    /** Whether a volume exists; false also when there is no engine (nothing can exist in it yet). */
    public boolean volumeExists(String volume) {
        try {
            return read(Commands.volumeInspect(volume)).ok();
        } catch (HostException e) {
            return false; // no docker CLI on the host
        }
    }

    /**
     * Runs the container's own health check now. Docker says "starting" until the first scheduled check,
     * up to an interval after the service already answers; a reader that wants the truth asks directly.
     */
    public boolean healthyNow(ServiceContainer container) {
        ExecResult test = host.exec(Commands.healthCheckTest(container.id()));
        if (!test.ok()) {
            return false;
        }
        List<String> argv;
        try {
            argv = List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(test.stdout(), String[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
        if (argv.isEmpty() || argv.get(0).equals("NONE")) {
            return container.running();
        }
        List<String> program = argv.get(0).equals("CMD-SHELL") ? List.of("/bin/sh", "-c", String.join(" ", argv.subList(1, argv.size())))
                : argv.subList(1, argv.size());
        return host.exec(Commands.dockerExec(container.id(), program)).ok();
    }

    public List<ServiceContainer> projectContainers(String project) {
        ExecResult ids = read(Commands.projectContainerIds(project));
        if (!ids.ok()) {
            throw new HostException("cannot list the containers of project " + project + ": " + ids.stderr().strip());
        }
        List<String> idList = ids.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (idList.isEmpty()) {
            return List.of();
        }
        ExecResult described = read(Commands.describeContainers(idList));
        if (!described.ok()) {
            throw new HostException("cannot inspect the containers of project " + project + ": " + described.stderr().strip());
        }
        List<ServiceContainer> containers = new ArrayList<>();
        for (String line : described.stdout().lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length == 7) {
                containers.add(new ServiceContainer(f[0], f[1], f[2], Boolean.parseBoolean(f[3]),
                        f[4].isEmpty() ? Optional.empty() : Optional.of(f[4]), f[5], f[6]));
            }
        }
        containers.sort(Comparator.comparing(ServiceContainer::service));
        return containers;
    }
}
