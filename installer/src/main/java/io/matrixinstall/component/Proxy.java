package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.ConfigKey;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public proxy: the nginx Compose project (proxy_dir, proxy_data_dir, user_conf.d), its server block for the
 * domain and its one service. On when the TLS mode has a proxy; what differs between modes (image, compose
 * template, ports, certificates) the mode says.
 */
public final class Proxy implements Component {
    public static final String SERVICE = "nginx";

    Proxy() {}

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return TlsModes.of(config).hasProxy();
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return "tls.mode is " + TlsModes.of(config);
    }

    @Override
    public List<ManagedDirectory> directories(Layout layout) {
        return List.of(new ManagedDirectory(layout.proxyDir(), ROOT, Layout.DIR),
                new ManagedDirectory(layout.proxyDataDir(), ROOT, Layout.DIR),
                new ManagedDirectory(layout.userConfDir(), ROOT, Layout.DIR));
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        return List.of(
                Layout.file(layout.proxyCompose(), TlsModes.of(layout.config()).proxyComposeTemplate(), ROOT,
                        Layout.PUBLIC_FILE, Set.of()),
                // Reloaded, not restarted: see ProxyInputs.
                Layout.file(layout.serverBlock(), "nginx/server.conf.ftl", ROOT, Layout.PUBLIC_FILE, Set.of()));
    }

    @Override
    public List<ComposeService> services(Layout layout) {
        InstallConfig config = layout.config();
        return List.of(new ComposeService(SERVICE, config.projects().proxy(), layout.proxyCompose(),
                TlsModes.of(config).proxyImage(config)));
    }

    @Override
    public List<Integer> publicPorts(InstallConfig config) {
        return TlsModes.of(config).publicPorts(config);
    }

    @Override
    public Map<String, Path> configuredDirectories(InstallConfig config, boolean systemd) {
        Map<String, Path> roots = new LinkedHashMap<>();
        roots.put(ConfigKey.PROXY_DIR.key(), config.proxyDir());
        roots.put(ConfigKey.PROXY_DATA_DIR.key(), config.proxyDataDir());
        return roots;
    }

    @Override
    public List<Leftover> leftovers(Layout layout) {
        return List.of(Leftover.project("nginx stack", layout.config().projects().proxy(), layout.proxyCompose()),
                Leftover.file(layout.proxyCompose()), Leftover.file(layout.proxyLoadedRecord()),
                Leftover.managedFilesIn(layout.userConfDir()));
    }

    @Override
    public List<Leftover> obsolete(Layout layout) {
        return List.of(Leftover.managedFilesIn(layout.userConfDir()).because("not the domain " + layout.config().domain()));
    }
}
