package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.StateDir;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The option groups of every command that changes a host: which host ({@code --host} …) and its lock
 * ({@code --wait}), plus where the install comes from: {@link Recorded} (the recorded configuration only) or
 * {@link Install} (the install settings too; the table in docs/operating.md says which command takes which).
 */
abstract class ChangeOptions {
    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    /** Runs {@code body} in the frame on the host these options name (the lock's run directory on it). */
    int run(CommandSpec spec, RunFrame.Body body) throws Exception {
        return RunFrame.run(spec, hostOptions, lockOptions.runDir(), body);
    }

    HostLockOptions lock() {
        return lockOptions;
    }

    boolean remote() {
        return hostOptions.remote();
    }

    abstract StateDir stateDir();

    /** The configuration of this run on {@code host}; exit 2 (one line) where nothing is installed. */
    abstract InstallConfig load(Host host);

    /** A change of an installed host, found only through its state directory (start, backup, user add, ...). */
    static final class Recorded extends ChangeOptions {
        @Mixin
        StateOptions state;

        @Override
        StateDir stateDir() {
            return state.stateDir();
        }

        @Override
        InstallConfig load(Host host) {
            return state.load(host);
        }
    }

    /** A change that writes the install from its settings (up, update, restore, ...). */
    static final class Install extends ChangeOptions {
        @Mixin
        InstallOptions install;

        @Override
        StateDir stateDir() {
            return install.stateDir();
        }

        @Override
        InstallConfig load(Host host) {
            return install.load(host);
        }

        /** See {@link InstallOptions#load(Host, Supplier)}: restore's fallback, the configuration in the backup. */
        InstallConfig load(Host host, Supplier<Optional<Map<String, String>>> fallback) {
            return install.load(host, fallback);
        }
    }
}
