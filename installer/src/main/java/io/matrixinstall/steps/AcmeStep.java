package io.matrixinstall.steps;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.tls.AccountKeys;
import io.matrixinstall.tls.AcmeIssuanceException;
import io.matrixinstall.tls.AcmeIssuer;
import io.matrixinstall.tls.CertificateFiles;
import io.matrixinstall.tls.IssuedCertificate;
import io.matrixinstall.tls.WebrootChallengePublisher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * acme mode, once nginx runs: obtains a certificate with acme4j (HTTP-01 through nginx's port 80 and the
 * webroot), writes it at the seed's paths and reloads nginx. A certificate from the CA that covers the
 * domain for more than 30 more days is never requested again (rate limits), unless forced.
 */
public final class AcmeStep implements Step {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final boolean force;

    public AcmeStep(boolean force) {
        this.force = force;
    }

    @Override
    public String name() {
        return "acme certificate";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        if (TlsModes.of(context.config()).renewsWithAcme()) {
            wants.read(context.layout().fullchain(), context.layout().acmeAccountKey());
        }
    }

    @Override
    public void run(PlanContext context) {
        InstallConfig config = context.config();
        if (!TlsModes.of(config).renewsWithAcme()) {
            return;
        }
        Layout layout = context.layout();
        Host host = context.host();
        Optional<X509Certificate> current = host.read(layout.fullchain())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .flatMap(AcmeStep::leaf);
        if (!force && current.isPresent() && issuedByCa(current.get())
                && config.certificateNames().stream().allMatch(name -> CertificateFiles.covers(current.get(), name))
                && !CertificateFiles.needsRenewal(current.get())) {
            return;
        }
        // The check places a token in the webroot: real runs only, a dry run just says it would ask.
        if (context.gate().applies() && !context.options().skipDnsCheck()) {
            DnsCheck.requirePointsHere(context);
        }
        URI directory = URI.create(config.tls().acmeDirectory());
        String names = String.join(", ", config.certificateNames());
        context.gate().submit("obtain a certificate for " + names + " from " + directory, () -> {
            KeyPair account = accountKey(context);
            AcmeIssuer issuer = config.tls().acmeTrustedRoot().isEmpty() ? new AcmeIssuer(directory)
                    : new AcmeIssuer(directory, config.tls().acmeTrustedRoot());
            context.progress("asking " + directory.getHost() + " for a certificate for " + names + " (HTTP-01)");
            IssuedCertificate issued;
            try {
                issued = issuer.issue(account, config.email(), config.certificateNames(), new WebrootChallengePublisher(context.host(), layout.acmeWebroot()),
                        TIMEOUT);
            } catch (AcmeIssuanceException e) {
                throw new StepFailedException("no certificate was issued: " + e.getMessage()
                        + "; nginx keeps serving the previous certificate");
            }
            FileSync.file(context, layout.privkey(), bytes(issued.privateKeyPem()), Ownership.ROOT, Layout.PRIVATE_FILE);
            FileSync.file(context, layout.fullchain(), bytes(issued.fullchainPem()), Ownership.ROOT, Layout.PUBLIC_FILE);
            FileSync.file(context, layout.chain(), bytes(issued.chainPem()), Ownership.ROOT, Layout.PUBLIC_FILE);
            // The reload step that follows sees files nginx has not loaded, and reloads it.
            context.progress("certificate for " + config.domain() + " valid until " + issued.notAfter());
        });
    }

    private static Optional<X509Certificate> leaf(String pem) {
        try {
            return Optional.of(CertificateFiles.parseChain(pem).get(0));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Our temporary certificate is self-signed; a CA's is not. */
    private static boolean issuedByCa(X509Certificate leaf) {
        return !leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal());
    }

    private static KeyPair accountKey(PlanContext context) {
        Path file = context.layout().acmeAccountKey();
        Optional<byte[]> existing = context.host().read(file);
        if (existing.isPresent()) {
            return AccountKeys.fromPem(new String(existing.get(), StandardCharsets.UTF_8));
        }
        KeyPair fresh = AccountKeys.create();
        FileSync.file(context, file, bytes(AccountKeys.toPem(fresh)), Ownership.ROOT, Layout.PRIVATE_FILE);
        return fresh;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
