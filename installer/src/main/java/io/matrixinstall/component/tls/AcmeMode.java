package io.matrixinstall.component.tls;

import java.security.cert.X509Certificate;
import io.matrixinstall.config.InstallConfig;

/**
 * acme: the agent obtains and renews certificates itself (acme4j, HTTP-01 through nginx's port 80 and the webroot).
 * Until the first issuance nginx starts with a temporary self-signed certificate; whatever is installed stays until
 * the ACME step renews it.
 */
final class AcmeMode extends AgentCertificateMode {
    AcmeMode() {
        super(InstallConfig.TlsMode.ACME);
    }

    @Override
    public boolean renewsWithAcme() {
        return true;
    }

    @Override
    public boolean keepsInstalled(X509Certificate leaf, String domain) {
        return true;
    }

    @Override
    public String selfSignedNote(String domain) {
        return "a temporary self-signed certificate lets nginx start until ACME issues the real one";
    }
}
