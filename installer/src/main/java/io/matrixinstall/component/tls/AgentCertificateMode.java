package io.matrixinstall.component.tls;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import java.util.List;

/**
 * The modes where nginx reads certificate files the agent writes at the seed's paths (acme, files, self-signed):
 * the webroot for HTTP-01 and the letsencrypt tree.
 */
abstract class AgentCertificateMode extends TlsModeComponent {
    AgentCertificateMode(InstallConfig.TlsMode key) {
        super(key);
    }

    @Override
    public boolean agentWritesCertificates() {
        return true;
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
