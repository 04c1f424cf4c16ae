package io.matrixinstall.ops;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.host.Host;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Reads the configuration `up` recorded (see {@link RecordConfigStep}) through the Host. */
public final class RecordedConfig {
    private RecordedConfig() {}

    /** The recorded settings, or empty when nothing is installed. */
    public static Optional<Map<String, String>> read(Host host, StateDir state) {
        return host.read(state.config())
                .map(bytes -> ConfigLoader.parseSettings(state.config().toString(), new String(bytes, StandardCharsets.UTF_8)));
    }

    /** The one line (exit 2) a command that can name an install by its settings says where nothing is installed. */
    public static String nothingInstalled(Host host, StateDir state) {
        return nothingInstalled(host, state, "name the install with --config/--domain (or --state-dir)");
    }

    /** The same, {@code orElse} saying how else this command finds an install. */
    public static String nothingInstalled(Host host, StateDir state, String orElse) {
        return "nothing is installed on " + host.name() + " (no " + state.config()
                + "); install with `matrix-install up --domain HOST --email ADDRESS`, or " + orElse;
    }
}
