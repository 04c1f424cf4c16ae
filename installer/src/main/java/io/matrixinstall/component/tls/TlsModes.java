package io.matrixinstall.component.tls;

import io.matrixinstall.config.InstallConfig;
import java.util.List;

/** The six TLS modes, and the one place that maps {@code tls.mode} to its class. */
public final class TlsModes {
    /** Every mode, in the order of the configuration reference. */
    public static final List<TlsModeComponent> ALL = List.of(new AcmeMode(), new NginxCertbotMode(), new FilesMode(),
            new ExternalMode(), new SelfSignedMode(), new NoTlsMode());

    private TlsModes() {}

    /** The configured mode. */
    public static TlsModeComponent of(InstallConfig config) {
        return ALL.stream().filter(mode -> mode.enabled(config)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no class for tls.mode " + config.tls().mode()));
    }
}
