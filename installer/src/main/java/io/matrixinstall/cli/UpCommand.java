package io.matrixinstall.cli;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", description = "Install or converge the Matrix stack on this host.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--dry-run", description = "Print every change `up` would make, one per line, and make none.")
    boolean dryRun;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Compare against a tree made by `render --root DIR` instead of this host's / (files only).")
    Path root;

    @Override
    public Integer call() {
        Console console = Console.system();
        Host host = root == null ? new LocalHost() : new RootedHost(new LocalHost(), root);
        ChangeGate gate = dryRun ? ChangeGate.recording(console::line) : ChangeGate.applying(console::line);
        PlanRunner.run(configOptions.load(), host, Plan.files(), gate, console);
        return 0;
    }
}
