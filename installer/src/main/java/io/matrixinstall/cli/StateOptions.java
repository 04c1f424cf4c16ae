package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.ops.RecordedConfig;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.PreconditionException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The state directory: where `up` recorded the install's configuration and where the history is. Every command
 * that acts on an install takes it; those that do not render the install find it only here (see
 * {@link InstallOptions} for the ones that also take its settings).
 */
public final class StateOptions {

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the installed configuration and the history live (default /etc/matrix-install,"
                    + " or $MATRIX_INSTALL_STATE_DIR).")
    Path stateDir;

    public StateDir stateDir() {
        return StateDir.resolve(Optional.ofNullable(stateDir));
    }

    /** The configuration `up` recorded on {@code host}; exit 2 (one line) where nothing is installed. */
    public InstallConfig load(Host host) {
        StateDir state = stateDir();
        Map<String, String> recorded = RecordedConfig.read(host, state).orElseThrow(() -> new PreconditionException(
                RecordedConfig.nothingInstalled(host, state, "give the install's --state-dir")));
        return ConfigLoader.load(recorded, Optional.empty(), Map.of());
    }
}
