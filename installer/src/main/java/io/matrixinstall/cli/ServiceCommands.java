package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.component.ComposeService;
import io.matrixinstall.ops.StartServicesStep;
import io.matrixinstall.ops.StopServicesStep;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.plan.Step;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.steps.LocateDockerStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `start`, `stop` and `restart [SERVICE]` of an installed server, in dependency order; nothing is deleted. */
final class ServiceCommands {
    private ServiceCommands() {}

    /** What the three share: the recorded configuration, a dry run, the health timeout. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ChangeOptions.Recorded changeOptions;

        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "Print what would be started or stopped, and do nothing.")
        boolean dryRun;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
                description = "How long to wait for each service to become healthy (default 300).")
        int timeoutSeconds;

        abstract String command();

        /** {@code compose}: the docker step's, which runs first. */
        abstract List<Step> steps(InstallConfig config, Output<ComposeCli> compose);

        abstract String unchanged();

        /** Finds the engine `up` set up (installs nothing: never pulls), then runs the steps. */
        @Override
        public Integer call() throws Exception {
            return changeOptions.run(spec, frame -> {
                InstallConfig config = changeOptions.load(frame.host());
                LocateDockerStep docker = new LocateDockerStep();
                List<Step> all = new ArrayList<>(List.of(docker));
                all.addAll(steps(config, docker.compose()));
                return frame.change(command(), changeOptions.lock(), changeOptions.stateDir()).dryRun(dryRun)
                        .options(new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DOCKER,
                                Duration.ofSeconds(timeoutSeconds), false))
                        .run(config, context -> {
                            frame.plan(context, new Plan(all));
                            return Outcome.of(context).unchanged(unchanged() + ": no changes");
                        });
            });
        }
    }

    @Command(name = "start", description = "Start the stopped services in dependency order (db, synapse, element,"
            + " proxy), each healthy before the next.")
    static final class Start extends Base {
        @Override
        String command() {
            return "start";
        }

        @Override
        List<Step> steps(InstallConfig config, Output<ComposeCli> compose) {
            return List.of(new StartServicesStep(ComposeService.startOrder(config), compose));
        }

        @Override
        String unchanged() {
            return "already running";
        }
    }

    @Command(name = "stop", description = "Stop the services, the public proxy first, then element, synapse and db."
            + " Containers, volumes and files stay.")
    static final class Stop extends Base {
        @Override
        String command() {
            return "stop";
        }

        @Override
        List<Step> steps(InstallConfig config, Output<ComposeCli> compose) {
            return List.of(new StopServicesStep(ComposeService.stopOrder(config), compose));
        }

        @Override
        String unchanged() {
            return "already stopped";
        }
    }

    @Command(name = "restart", description = "Stop, then start (waiting on health) every service, or only SERVICE"
            + " (db, synapse, element, nginx).")
    static final class Restart extends Base {
        @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "db, synapse, element or nginx (default: all).")
        String service;

        @Override
        String command() {
            return service == null ? "restart" : "restart " + service;
        }

        @Override
        List<Step> steps(InstallConfig config, Output<ComposeCli> compose) {
            List<ComposeService> stop = ComposeService.select(ComposeService.stopOrder(config), Optional.ofNullable(service));
            List<ComposeService> start = ComposeService.select(ComposeService.startOrder(config), Optional.ofNullable(service));
            return List.of(new StopServicesStep(stop, compose), new StartServicesStep(start, compose));
        }

        @Override
        String unchanged() {
            return "nothing to restart";
        }
    }
}
