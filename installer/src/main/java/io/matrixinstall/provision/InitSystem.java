package io.matrixinstall.provision;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import java.nio.file.Path;

/**
 * What starts services on a host: systemd when it is PID 1, else the distribution's init scripts
 * (containers and test machines run without systemd, where {@code systemctl} cannot start anything).
 */
public enum InitSystem {
    SYSTEMD {
        @Override
        public Command start(String service) {
            return Commands.enableService(service);
        }
    },
    INIT_SCRIPTS {
        @Override
        public Command start(String service) {
            return Commands.initScript(service, "start");
        }
    };

    /** systemd's own test (sd_booted): this directory exists exactly when systemd booted the host. */
    public static final Path SYSTEMD_RUNTIME = Path.of("/run/systemd/system");

    public static InitSystem of(Host host) {
        return host.stat(SYSTEMD_RUNTIME).isPresent() ? SYSTEMD : INIT_SCRIPTS;
    }

    /** Starts the service now (and, with systemd, at every boot). */
    public abstract Command start(String service);
}
