package io.matrixinstall.update;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One service of the installed stacks with its compose project, compose file and configured image. */
public record Service(String name, String project, Path composeFile, String image) {

    /** Every service, in dependency order: db, synapse, element, then the proxy when there is one. */
    public static List<Service> all(InstallConfig config) {
        Layout layout = new Layout(config);
        String matrix = config.projects().matrix();
        List<Service> services = new ArrayList<>(List.of(
                new Service("db", matrix, layout.composeFile(), config.images().postgres()),
                new Service("synapse", matrix, layout.composeFile(), config.images().synapse()),
                new Service("element", matrix, layout.composeFile(), config.images().element())));
        if (config.tls().mode() != InstallConfig.TlsMode.NONE) {
            services.add(new Service("nginx", config.projects().proxy(), layout.proxyCompose(), config.proxyImage()));
        }
        return services;
    }

    /** Whether recreating it needs a database backup first (it owns or migrates the schema). */
    public boolean touchesDatabase() {
        return name.equals("db") || name.equals("synapse");
    }
}
