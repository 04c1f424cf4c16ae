package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostBusyException;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.plan.PreconditionException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The host lock of every command that changes the host: how long to wait for another run, and where it is. */
public final class HostLockOptions {

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "When another matrix-install run is changing this host, wait this long for it (default 60;"
                    + " 0 fails at once naming it).")
    int waitSeconds;

    // Tests keep concurrent installs apart with their own lock; on a server every run shares the default.
    @Option(names = "--run-dir", paramLabel = "DIR", hidden = true,
            description = "Directory of the host lock and the agent's scratch space (default /run/matrix-install).")
    Path runDir = LocalHost.DEFAULT_RUN_DIR;

    /** Where the host lock and the scratch space are, on whichever host the command acts on. */
    Path runDir() {
        return runDir;
    }

    /** Takes the host lock for {@code command}, or fails with one line naming the holder. */
    HostLock acquire(Host host, String command, Console console) {
        if (waitSeconds < 0) {
            throw new ConfigException("--wait", "must be 0 or more seconds (got " + waitSeconds + ")");
        }
        try {
            return host.lock(command, Duration.ofSeconds(waitSeconds), console::progress);
        } catch (HostBusyException e) {
            throw new HostException(e.getMessage() + "; run again when it has finished"
                    + (waitSeconds == 0 ? ", or wait for it with --wait SECONDS" : ""), e);
        } catch (HostException e) {
            if (e.getCause() instanceof AccessDeniedException) {
                throw new PreconditionException("must run as root on " + host.name() + " (" + e.getMessage() + ")");
            }
            throw e;
        }
    }
}
