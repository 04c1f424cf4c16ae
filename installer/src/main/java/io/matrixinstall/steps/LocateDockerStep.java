package io.matrixinstall.steps;

import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.provision.InitSystem;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;

/**
 * {@code renew}: finds the engine and Compose that {@code up} left running. Never installs or starts
 * anything: a twice-daily timer must not install packages, and a stopped engine is the operator's call.
 */
public final class LocateDockerStep implements Step {
    private final Output<ComposeCli> compose = new Output<>("the docker step");

    /** The Compose that works on the host. */
    public Output<ComposeCli> compose() {
        return compose;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public void run(PlanContext context) {
        if (!DockerProbe.engineAnswers(context.host())) {
            throw new StepFailedException("no Docker engine answers `docker info`: renew uses the engine `up` set up and"
                    + " installs nothing; start it (" + InitSystem.of(context.host()).start("docker") + ") or run `up`");
        }
        compose.set(DockerProbe.compose(context.host()).orElseThrow(() -> new StepFailedException(
                "neither `docker compose` nor `docker-compose` works: renew installs nothing; run `up` to install Compose")));
    }
}
