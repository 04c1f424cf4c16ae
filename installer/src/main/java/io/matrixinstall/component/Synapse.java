package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;
import static io.matrixinstall.host.Ownership.SYNAPSE;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.secrets.Secret;
import java.util.List;
import java.util.Set;

/** Synapse: its files directory (configuration, signing key, media), homeserver.yaml and its log configuration. */
final class Synapse implements Component {
    static final String SERVICE = "synapse";

    @Override
    public String name() {
        return "synapse";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return true;
    }

    @Override
    public List<ManagedDirectory> directories(Layout layout) {
        return List.of(new ManagedDirectory(layout.filesDir(), SYNAPSE, Layout.DIR),
                new ManagedDirectory(layout.mediaStore(), SYNAPSE, Layout.DIR),
                new ManagedDirectory(layout.schemasDir(), ROOT, Layout.DIR));
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        return List.of(
                // Tightened from the seed's 0644: it holds the database password and Synapse's secrets.
                Layout.file(layout.homeserverConfig(), "matrix/homeserver.yaml.ftl", SYNAPSE, Layout.PRIVATE_FILE, Set.of(SERVICE)),
                Layout.file(layout.logConfig(), "matrix/log.config.ftl", SYNAPSE, Layout.PUBLIC_FILE, Set.of(SERVICE)));
    }

    @Override
    public List<ComposeService> services(Layout layout) {
        InstallConfig config = layout.config();
        return List.of(new ComposeService(SERVICE, config.projects().matrix(), layout.composeFile(), config.images().synapse()));
    }

    @Override
    public List<Secret> secrets() {
        return List.of(Secret.REGISTRATION_SHARED_SECRET, Secret.MACAROON_SECRET_KEY, Secret.FORM_SECRET);
    }
}
