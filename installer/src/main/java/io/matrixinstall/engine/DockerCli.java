package io.matrixinstall.engine;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.util.List;
import java.util.Optional;

/**
 * Quick reads of the engine through the docker CLI on the host. They run through {@link Host}, so they
 * work the same over SSH, and cost a few milliseconds each, which keeps a no-op {@code up} fast.
 * Streams (pulls with progress, health waits, logs, one-off containers) go through {@link DockerEngine}.
 */
public final class DockerCli {
    private final FactsHost host;

    /** Reads answered from the host's facts: gathered, or asked once and kept until something changes. */
    public DockerCli(Host host) {
        this.host = FactsHost.of(host);
    }

    /** Forgets every answer: called around each change the plan applies. */
    public void forget() {
        host.forgetAnswers();
    }

    private ExecResult read(Command command) {
        return host.ask(command);
    }

    /** The image's id, empty when the engine has none of that name ({@link ImageIds}, from the run's facts). */
    public Optional<String> imageId(String reference) {
        return host.answer(ImageIds.QUESTION, reference);
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
     * Runs the container's own health check now, live. Docker says "starting" until the first scheduled check,
     * up to an interval after the service already answers; a reader that wants the truth asks directly.
     */
    public boolean healthyNow(ServiceContainer container) {
        return Containers.healthyNow(host, container);
    }

    /** The project's containers, from the run's facts (a poll asks {@link #containersNow} instead). */
    public List<ServiceContainer> projectContainers(String project) {
        return host.answer(ProjectContainers.QUESTION, project);
    }

    /** The project's containers as they are this instant: for polls and reads between changes, never remembered. */
    public List<ServiceContainer> containersNow(String project) {
        return Containers.now(host, project);
    }

    /** {@link #volumeExists}, asked now. */
    public boolean volumeExistsNow(String volume) {
        try {
            return host.exec(Commands.volumeInspect(volume)).ok();
        } catch (HostException e) {
            return false; // no docker CLI on the host
        }
    }

    /** {@link #imageId}, asked now. */
    public Optional<String> imageIdNow(String reference) {
        return ImageIds.QUESTION.now(host, reference);
    }
}
