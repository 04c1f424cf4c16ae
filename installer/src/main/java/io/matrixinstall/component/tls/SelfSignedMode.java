package io.matrixinstall.component.tls;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.tls.CertificateFiles;
import java.security.cert.X509Certificate;

/** self-signed: a certificate the agent signs itself, for a LAN or a trial; clients warn, the checks only warn. */
final class SelfSignedMode extends AgentCertificateMode {
    SelfSignedMode() {
        super(InstallConfig.TlsMode.SELF_SIGNED);
    }

    /** Kept while it covers the domain and stays valid for more than the renewal window. */
    @Override
    public boolean keepsInstalled(X509Certificate leaf, String domain) {
        return CertificateFiles.covers(leaf, domain) && !CertificateFiles.needsRenewal(leaf);
    }

    @Override
    public String selfSignedNote(String domain) {
        return "WARNING: tls.mode self-signed: browsers and other Matrix servers will not trust " + domain;
    }

    @Override
    public boolean untrustedIsExpected() {
        return true;
    }
}
