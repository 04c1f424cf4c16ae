package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;
import static io.matrixinstall.host.Ownership.SYNAPSE;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.secrets.Secret;
import java.util.ArrayList;
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
        List<RenderedFile> files = new ArrayList<>(List.of(
                // Tightened from the seed's 0644: it holds the database password and Synapse's secrets.
                Layout.file(layout.homeserverConfig(), "matrix/homeserver.yaml.ftl", SYNAPSE, Layout.PRIVATE_FILE, Set.of(SERVICE)),
                Layout.file(layout.logConfig(), "matrix/log.config.ftl", SYNAPSE, Layout.PUBLIC_FILE, Set.of(SERVICE))));
        if (!layout.config().federation().caCertificatePem().isEmpty()) {
            // The roots Synapse trusts for outbound federation (federation.ca_certificate); read at start.
            files.add(Layout.file(layout.federationCa(), "matrix/federation-ca.pem.ftl", SYNAPSE, Layout.PUBLIC_FILE, Set.of(SERVICE)));
        }
        return files;
    }

    @Override
    public List<Leftover> obsolete(Layout layout) {
        // Once federation.ca_certificate is unset, Synapse trusts the system's roots again: the copy goes.
        return layout.config().federation().caCertificatePem().isEmpty()
                ? List.of(Leftover.file(layout.federationCa()).because("federation.ca_certificate is not set"))
                : List.of();
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
