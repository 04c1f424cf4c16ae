package io.matrixinstall.component.tls;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import java.util.List;

/**
 * The modes served by plain nginx from compose/proxy-nginx.yml (acme, files, self-signed, external): it mounts the
 * HTTP-01 webroot and the letsencrypt tree, so they exist whatever the mode writes into them.
 */
abstract class PlainNginxMode extends TlsModeComponent {
    PlainNginxMode(InstallConfig.TlsMode key) {
        super(key);
    }

    @Override
    public List<ManagedDirectory> directories(Layout layout) {
        return List.of(
                new ManagedDirectory(layout.acmeWebroot(), ROOT, Layout.DIR),
                // 0755 so nginx's workers can follow the path; the private key itself is 0600.
                new ManagedDirectory(layout.letsencryptDir(), ROOT, Layout.DIR),
                new ManagedDirectory(layout.liveDir().getParent(), ROOT, Layout.DIR),
                new ManagedDirectory(layout.liveDir(), ROOT, Layout.DIR));
    }
}
