package io.matrixinstall.plan;

import java.time.Duration;

/** How this run of {@code up} behaves; not part of the install's configuration. */
public record RunOptions(PullPolicy pull, DockerSource dockerSource, Duration healthTimeout, boolean skipDnsCheck) {

    public enum PullPolicy { ALWAYS, MISSING, NEVER }

    /** Where Docker comes from when the host has none: Docker's apt repository, or the distribution's packages. */
    public enum DockerSource { DOCKER, DISTRO }

    public static RunOptions defaults() {
        return new RunOptions(PullPolicy.MISSING, DockerSource.DOCKER, Duration.ofMinutes(5), false);
    }
}
