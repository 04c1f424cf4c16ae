package io.matrixinstall.ops;

import io.matrixinstall.component.Components;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** One service of the install, with the Compose project and file that run it. */
public record Service(String name, String project, Path composeFile) {

    /**
     * The dependency order: db, then synapse (needs db), element, and last the public proxy (needs both).
     * Start goes this way, stop the other way round, so the public door closes first and opens last.
     */
    public static List<Service> startOrder(InstallConfig config) {
        return Components.services(new Layout(config)).stream()
                .map(s -> new Service(s.name(), s.project(), s.composeFile())).toList();
    }

    public static List<Service> stopOrder(InstallConfig config) {
        List<Service> services = new ArrayList<>(startOrder(config));
        Collections.reverse(services);
        return List.copyOf(services);
    }

    /** All services, or the one named (an unknown name is one line, exit 2). */
    public static List<Service> select(List<Service> ordered, Optional<String> name) {
        if (name.isEmpty()) {
            return ordered;
        }
        List<Service> one = ordered.stream().filter(s -> s.name().equals(name.get())).toList();
        if (one.isEmpty()) {
            throw new ConfigException("SERVICE", "no service '" + name.get() + "' in this install (one of "
                    + String.join(", ", ordered.stream().map(Service::name).sorted().toList()) + ")");
        }
        return one;
    }
}
