package io.matrixinstall.update;

import io.matrixinstall.component.Components;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import java.nio.file.Path;
import java.util.List;

/** One service of the installed stacks with its compose project, compose file and configured image. */
public record Service(String name, String project, Path composeFile, String image) {

    /** Every service, in dependency order: db, synapse, element, then the proxy when there is one. */
    public static List<Service> all(InstallConfig config) {
        return Components.services(new Layout(config)).stream()
                .map(s -> new Service(s.name(), s.project(), s.composeFile(), s.image())).toList();
    }

    /** Whether recreating it needs a database backup first (it owns or migrates the schema). */
    public boolean touchesDatabase() {
        return name.equals("db") || name.equals("synapse");
    }
}
