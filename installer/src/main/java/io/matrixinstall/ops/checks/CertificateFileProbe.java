package io.matrixinstall.ops.checks;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.tls.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** The certificate nginx reads from disk is valid for more than params.warn_days. */
final class CertificateFileProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        if (!TlsModes.of(context.config()).agentWritesCertificates()) {
            return CheckResult.skip(check, "tls.mode " + TlsModes.of(context.config()) + ": the agent keeps no certificate file");
        }
        var file = context.layout().fullchain();
        var pem = context.host().read(file);
        if (pem.isEmpty()) {
            return CheckResult.fail(check, "no certificate at " + file);
        }
        X509Certificate leaf = CertificateFiles.parseChain(new String(pem.get(), StandardCharsets.UTF_8)).get(0);
        long days = CertificateFiles.daysUntilExpiry(leaf, Instant.now());
        String message = "expires " + leaf.getNotAfter().toInstant() + " (" + days + " days)";
        if (days < 0) {
            return CheckResult.fail(check, "expired " + leaf.getNotAfter().toInstant());
        }
        return days < Long.parseLong(check.param("warn_days")) ? CheckResult.warn(check, message) : CheckResult.ok(check, message);
    }
}
