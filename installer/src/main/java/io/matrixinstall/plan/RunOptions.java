package io.matrixinstall.plan;

import java.time.Duration;

/** How this run of {@code up} behaves; not part of the install's configuration. */
public record RunOptions(PullPolicy pull, DockerSource dockerSource, Duration healthTimeout, boolean skipDnsCheck,
        boolean pushImages) {

    /**
     * {@code pushImages}: the images come from the operator's local engine, streamed to the host (air-gapped
     * targets), never from a registry: the pull policy is then {@code never}.
     */
    public RunOptions {
        if (pushImages && pull != PullPolicy.NEVER) {
            throw new IllegalArgumentException("--push-images pulls nothing: the pull policy must be never");
        }
    }

    public RunOptions(PullPolicy pull, DockerSource dockerSource, Duration healthTimeout, boolean skipDnsCheck) {
        this(pull, dockerSource, healthTimeout, skipDnsCheck, false);
    }

    public enum PullPolicy { ALWAYS, MISSING, NEVER }

    /**
     * Where Docker comes from when the host has none: Docker's apt repository, the distribution's packages,
     * or (auto) the first when it answers, else the second.
     */
    public enum DockerSource { AUTO, DOCKER, DISTRO }

    public static RunOptions defaults() {
        return new RunOptions(PullPolicy.MISSING, DockerSource.AUTO, Duration.ofMinutes(5), false);
    }
}
