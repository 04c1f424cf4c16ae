package io.matrixinstall.steps;

import java.security.cert.X509Certificate;
import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.tls.CertificateFiles;
import io.matrixinstall.tls.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Puts a certificate at the seed's paths before nginx starts, for the modes where the agent owns the
 * files: the operator's (files), one signed here (self-signed), or, in acme mode before the first
 * issuance, a temporary self-signed one so nginx can start and serve the HTTP-01 challenge.
 * A certificate that still covers the domain for more than 30 days is kept as it is.
 */
public final class CertificateStep implements Step {
    static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

    @Override
    public String name() {
        return "certificate";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        if (!TlsModes.of(context.config()).agentWritesCertificates()) {
            return; // nothing to install (nginx-certbot's image keeps its own; external and none have none here)
        }
        Layout layout = context.layout();
        wants.file(layout.fullchain(), layout.privkey(), layout.chain());
    }

    @Override
    public void run(PlanContext context) {
        TlsModeComponent mode = TlsModes.of(context.config());
        if (!mode.agentWritesCertificates()) {
            return;
        }
        Layout layout = context.layout();
        String domain = context.config().domain();
        // The three installed files in one round trip on a remote host (the chain is only needed when they stay).
        var files = context.host().readAll(List.of(layout.fullchain(), layout.privkey(), layout.chain()));
        Optional<String> installed = files.get(layout.fullchain()).map(b -> new String(b, StandardCharsets.UTF_8));
        Optional<String> installedKey = files.get(layout.privkey()).map(b -> new String(b, StandardCharsets.UTF_8));
        String fullchain;
        String chain;
        String key;
        Optional<TlsModeComponent.CertificatePair> given = mode.givenCertificate(context.config());
        if (given.isPresent()) {
            fullchain = given.get().fullchainPem();
            key = given.get().keyPem();
            chain = fullchain;
        } else if (installed.isPresent() && installedKey.isPresent()
                && pairedLeaf(installed.get(), installedKey.get()).filter(leaf -> mode.keepsInstalled(leaf, domain)).isPresent()) {
            // acme: whatever is there stays until the ACME step renews it.
            fullchain = installed.get();
            key = installedKey.get();
            chain = files.get(layout.chain()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(fullchain);
        } else {
            SelfSignedCertificate fresh = SelfSignedCertificate.create(List.of(domain), SELF_SIGNED_VALIDITY);
            context.progress(mode.selfSignedNote(domain));
            fullchain = fresh.certificatePem();
            chain = fresh.certificatePem();
            key = fresh.privateKeyPem();
        }
        // nginx picks them up when it starts or reloads (NginxReloadStep).
        FileSync.file(context, layout.privkey(), bytes(key), Ownership.ROOT, Layout.PRIVATE_FILE);
        FileSync.file(context, layout.fullchain(), bytes(fullchain), Ownership.ROOT, Layout.PUBLIC_FILE);
        FileSync.file(context, layout.chain(), bytes(chain), Ownership.ROOT, Layout.PUBLIC_FILE);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The installed leaf, when the certificate and key belong together. A run killed between writing one and the other leaves a
     * pair nginx cannot load: it is replaced (acme mode then asks the CA again).
     */
    static Optional<X509Certificate> pairedLeaf(String chainPem, String keyPem) {
        try {
            X509Certificate leaf = CertificateFiles.parseChain(chainPem).get(0);
            CertificateFiles.checkKeyMatches(leaf, CertificateFiles.parsePrivateKey(keyPem));
            return Optional.of(leaf); // parsed once: the mode's own check reads the same leaf
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
