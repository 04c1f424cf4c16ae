package io.matrixinstall.component;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One service of a Compose project the agent runs: the one service model of every command (start/stop/restart,
 * logs, status, update).
 *
 * @param name        the service's name in its compose file (what `logs`, `start` and `stop` take)
 * @param project     the Compose project (container and volume names start with it)
 * @param composeFile the file that defines it
 * @param image       its configured image
 */
public record ComposeService(String name, String project, Path composeFile, String image) {

    /**
     * The enabled components' services in dependency order: db, then synapse (needs db), element, and last the
     * public proxy (needs both). Start goes this way, stop the other way round, so the public door closes first and
     * opens last.
     */
    public static List<ComposeService> startOrder(InstallConfig config) {
        return Components.services(new Layout(config));
    }

    public static List<ComposeService> stopOrder(InstallConfig config) {
        List<ComposeService> services = new ArrayList<>(startOrder(config));
        Collections.reverse(services);
        return List.copyOf(services);
    }

    /** All services, or the one named (an unknown name is one line, exit 2). */
    public static List<ComposeService> select(List<ComposeService> ordered, Optional<String> name) {
        if (name.isEmpty()) {
            return ordered;
        }
        List<ComposeService> one = ordered.stream().filter(s -> s.name().equals(name.get())).toList();
        if (one.isEmpty()) {
            throw new ConfigException("SERVICE", "no service '" + name.get() + "' in this install (one of "
                    + String.join(", ", ordered.stream().map(ComposeService::name).sorted().toList()) + ")");
        }
        return one;
    }

    /** Whether recreating it needs a database backup first (it owns or migrates the schema). */
    public boolean touchesDatabase() {
        return name.equals(Postgres.SERVICE) || name.equals(Synapse.SERVICE);
    }
}
