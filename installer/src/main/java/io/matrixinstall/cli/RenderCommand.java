package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.plan.Plan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "render", description = "Write every managed file under DIR, at the paths and with the owners and"
        + " modes `up` uses, and touch nothing else.")
final class RenderCommand implements Callable<Integer> {

    @Mixin
    InstallOptions install;

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", required = true, description = "Directory standing in for /.")
    Path root;

    @Override
    public Integer call() throws Exception {
        return RunFrame.local(spec, frame -> files(frame, root, install.load(frame.host()), false));
    }

    /** The file part of `up`, on a tree under {@code root} (render; `up --root` compares one in a dry run). */
    static int files(RunFrame frame, Path root, InstallConfig config, boolean dryRun) {
        return frame.tree(new RootedHost(new LocalHost(), root)).dryRun(dryRun).run(config, context -> {
            frame.plan(context, Plan.files());
            return Outcome.of(context);
        });
    }
}
