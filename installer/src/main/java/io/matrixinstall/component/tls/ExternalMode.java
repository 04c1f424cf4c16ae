package io.matrixinstall.component.tls;

import io.matrixinstall.config.InstallConfig;
import java.util.List;
import java.util.Optional;

/**
 * external: behind a TLS-terminating proxy the operator runs; nginx serves plain HTTP on ports.http only, and the
 * public addresses are the operator proxy's (443).
 */
final class ExternalMode extends PlainNginxMode {
    ExternalMode() {
        super(InstallConfig.TlsMode.EXTERNAL);
    }

    @Override
    public boolean terminatesTls() {
        return false;
    }

    @Override
    public List<Integer> publicPorts(InstallConfig config) {
        return List.of(config.ports().http());
    }

    @Override
    public PublicAddresses publicAddresses(InstallConfig config) {
        return new PublicAddresses(config.domain(), 443, 443);
    }

    @Override
    public Optional<String> publicChecksSkipped() {
        return Optional.of("tls.mode " + this + ": TLS is served by your own proxy; run the check against it");
    }
}
