package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", description = "Work with the configuration.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", description = "Validate the configuration and exit (0: valid, 2: invalid).")
    static final class Check implements Callable<Integer> {
        @Mixin
        InstallOptions install;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return RunFrame.local(spec, frame -> {
                InstallConfig config = install.load(frame.host());
                frame.console().line("configuration OK: domain " + config.domain() + ", server_name " + config.serverName()
                        + ", base_dir " + config.baseDir());
                return 0;
            });
        }
    }
}
