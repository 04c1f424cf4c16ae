package io.matrixinstall.component.tls;

import io.matrixinstall.config.InstallConfig;

/** The modes where nginx reads certificate files the agent writes at the seed's paths (acme, files, self-signed). */
abstract class AgentCertificateMode extends PlainNginxMode {
    AgentCertificateMode(InstallConfig.TlsMode key) {
        super(key);
    }

    @Override
    public boolean agentWritesCertificates() {
        return true;
    }
}
