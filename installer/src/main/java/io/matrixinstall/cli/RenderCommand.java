package io.matrixinstall.cli;

import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "render", description = "Write every managed file under DIR, at the paths and with the owners and"
        + " modes `up` uses, and touch nothing else.")
final class RenderCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--root", paramLabel = "DIR", required = true, description = "Directory standing in for /.")
    Path root;

    @Override
    public Integer call() {
        Console console = Console.system();
        PlanRunner.run(configOptions.load(), new RootedHost(new LocalHost(), root), Plan.files(),
                ChangeGate.applying(console::line), console);
        return 0;
    }
}
