package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.layout.StateDir;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The option groups of a command that only reads an installed host (logs, doctor, history, stats mau): which host
 * ({@code --host} …) and the state directory. No lock: a read never waits for a change.
 */
final class ReadOptions {
    @Mixin
    StateOptions state;

    @Mixin
    HostOptions hostOptions;

    /** Runs {@code body} in the frame on the host these options name. */
    int run(CommandSpec spec, RunFrame.Body body) throws Exception {
        return RunFrame.run(spec, hostOptions, LocalHost.DEFAULT_RUN_DIR, body);
    }

    StateDir stateDir() {
        return state.stateDir();
    }

    /** The configuration `up` recorded on {@code host}; exit 2 (one line) where nothing is installed. */
    InstallConfig load(Host host) {
        return state.load(host);
    }
}
