package io.matrixinstall.plan;

import java.time.Duration;

/** How this run of {@code up} behaves; not part of the install's configuration. */
public record RunOptions(PullPolicy pull, DockerSource dockerSource, Duration healthTimeout, boolean skipDnsCheck) {

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
