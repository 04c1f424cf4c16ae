package io.matrixinstall.component.tls;

import io.matrixinstall.config.InstallConfig;
import java.util.Optional;

/** files: the operator's certificate and key, installed as given. */
final class FilesMode extends AgentCertificateMode {
    FilesMode() {
        super(InstallConfig.TlsMode.FILES);
    }

    @Override
    public Optional<CertificatePair> givenCertificate(InstallConfig config) {
        return Optional.of(new CertificatePair(config.tls().certificatePem(), config.tls().keyPem()));
    }
}
