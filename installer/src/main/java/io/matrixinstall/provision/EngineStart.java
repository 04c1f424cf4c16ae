package io.matrixinstall.provision;

import io.matrixinstall.command.ProgramsOnPath;
import java.util.Optional;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts an installed Docker engine the way the host starts services (systemd, else the init script) and
 * waits until it answers: the {@code start: docker} action of {@code provisioning/docker.yaml}.
 */
final class EngineStart {
    static final Path INIT_SCRIPT = Path.of("/etc/init.d/docker");
    static final Duration START_LIMIT = Duration.ofSeconds(60);

    private EngineStart() {}

    static boolean engineAnswers(Host host) {
        try {
            return host.exec(Commands.dockerInfo()).ok();
        } catch (HostException e) {
            return false; // no docker CLI: no engine
        }
    }

    static void submit(PlanContext context) {
        Host host = context.host();
        InitSystem init = InitSystem.of(host);
        Command start = init.start("docker");
        context.gate().submit("start the Docker engine (" + start + ")", () -> {
            if (init == InitSystem.SYSTEMD) {
                host.exec(start).requireOk(start);
            } else {
                startWithoutSystemd(context, start);
            }
            awaitEngine(host, init);
        });
    }

    /**
     * The init script, else dockerd started the script's way by hand: on hosts without CAP_SYS_RESOURCE (some
     * containers and CI machines) the script dies on its own {@code ulimit -n 1048576} before starting anything.
     */
    private static void startWithoutSystemd(PlanContext context, Command initScript) {
        Host host = context.host();
        String why;
        if (host.stat(INIT_SCRIPT).isEmpty()) {
            why = INIT_SCRIPT + " is missing";
        } else {
            ExecResult result = host.exec(initScript);
            if (result.ok()) {
                return;
            }
            why = initScript + " failed (exit " + result.exitCode() + ": "
                    + ExecResult.lastLines(result.stderr().isBlank() ? result.stdout() : result.stderr(), 1) + ")";
        }
        Optional<String> dockerd = ProgramsOnPath.QUESTION.now(host, "dockerd");
        if (dockerd.isEmpty()) {
            throw new StepFailedException("cannot start the Docker engine: " + why + " and dockerd is not installed");
        }
        Command direct = Commands.startDockerd(Path.of(dockerd.get()));
        context.progress(why + ": starting dockerd directly (" + direct + ")");
        host.exec(direct).requireOk(direct);
    }

    /** An init script returns once dockerd is launched, before it answers; systemd may too with some units. */
    private static void awaitEngine(Host host, InitSystem init) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (!engineAnswers(host)) {
            if (System.nanoTime() > deadline) {
                throw new StepFailedException("the Docker engine was started but does not answer `docker info` within "
                        + START_LIMIT.toSeconds() + " s (see " + (init == InitSystem.SYSTEMD ? "journalctl -u docker"
                        : "/var/log/docker.log") + ")");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for the Docker engine");
            }
        }
    }
}
