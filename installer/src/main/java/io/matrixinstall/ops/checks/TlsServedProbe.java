package io.matrixinstall.ops.checks;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.tls.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The certificate chain served on params.port (https or federation): covers the domain, is valid for more than
 * params.warn_days, is the one on disk (nginx reloaded), and is trusted by the usual roots (a self-signed
 * install is a warning: it says so by design).
 */
final class TlsServedProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        String skip = context.noPublicTls();
        if (skip != null) {
            return CheckResult.skip(check, skip);
        }
        InstallConfig config = context.config();
        int port = port(config, check.param("port"));
        List<X509Certificate> chain = context.endpoint().get(config.domain(), port, "/_matrix/client/versions").chain();
        if (chain.isEmpty()) {
            return CheckResult.fail(check, "no certificate served on port " + port);
        }
        X509Certificate leaf = chain.get(0);
        String where = config.domain() + ":" + port;
        if (!CertificateFiles.covers(leaf, config.domain())) {
            return CheckResult.fail(check, where + " serves a certificate for " + CertificateFiles.dnsNames(leaf));
        }
        long days = CertificateFiles.daysUntilExpiry(leaf, Instant.now());
        if (days < 0) {
            return CheckResult.fail(check, where + " serves a certificate that expired " + leaf.getNotAfter().toInstant());
        }
        if (TlsModes.of(config).agentWritesCertificates()) {
            var onDisk = context.host().read(context.layout().fullchain())
                    .map(pem -> CertificateFiles.parseChain(new String(pem, StandardCharsets.UTF_8)).get(0));
            if (onDisk.isPresent() && !onDisk.get().equals(leaf)) {
                return CheckResult.fail(check, where + " serves another certificate than " + context.layout().fullchain()
                        + " (nginx not reloaded?)");
            }
        }
        String message = where + ": " + chain.size() + " certificate(s), expires " + leaf.getNotAfter().toInstant() + " ("
                + days + " days)";
        if (!context.endpoint().trusted(chain)) {
            return TlsModes.of(config).untrustedIsExpected()
                    ? CheckResult.warn(check, message + "; self-signed (tls.mode self-signed): clients and other servers will not trust it")
                    : CheckResult.fail(check, message + "; the chain does not lead to a trusted root");
        }
        return days < Long.parseLong(check.param("warn_days")) ? CheckResult.warn(check, message) : CheckResult.ok(check, message);
    }

    static int port(InstallConfig config, String name) {
        return switch (name) {
            case "https" -> config.ports().https();
            case "federation" -> config.ports().federation();
            default -> throw new IllegalStateException("port must be https or federation (got " + name + ")");
        };
    }
}
