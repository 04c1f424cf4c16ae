package io.matrixinstall.component.tls;

import io.matrixinstall.config.InstallConfig;
import java.util.List;
import java.util.Optional;

/** none: no public proxy; Synapse and Element answer on 127.0.0.1 only, behind whatever the operator puts there. */
final class NoTlsMode extends TlsModeComponent {
    NoTlsMode() {
        super(InstallConfig.TlsMode.NONE);
    }

    @Override
    public boolean hasProxy() {
        return false;
    }

    @Override
    public boolean terminatesTls() {
        return false;
    }

    @Override
    public List<Integer> publicPorts(InstallConfig config) {
        return List.of();
    }

    @Override
    public PublicAddresses publicAddresses(InstallConfig config) {
        // Whatever fronts 127.0.0.1 answers on the defaults.
        return new PublicAddresses(config.domain(), 443, 443);
    }

    @Override
    public String elementUrl(InstallConfig config) {
        return "http://127.0.0.1:" + config.ports().element() + " (loopback only: reach it through your own proxy"
                + " or an SSH tunnel)";
    }

    @Override
    public Optional<String> publicChecksSkipped() {
        return Optional.of("tls.mode " + this + ": no public proxy");
    }
}
