package io.matrixinstall.component.tls;

import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.component.Component;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Command;
import io.matrixinstall.plan.PlanContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One value of {@code tls.mode}: how the public side is served, and everything that follows from it (the proxy's
 * image and compose file, the public ports, who holds the certificate, how nginx takes a change, whether the agent
 * renews with ACME, what the public checks can see). One subclass per mode; {@link TlsModes#of} is the one place
 * that maps the configured mode to its class, and no code outside this package compares modes: it asks the mode.
 */
public abstract class TlsModeComponent implements Component {
    private final InstallConfig.TlsMode key;

    TlsModeComponent(InstallConfig.TlsMode key) {
        this.key = key;
    }

    @Override
    public String name() {
        return "tls " + key;
    }

    @Override
    public final boolean enabled(InstallConfig config) {
        return config.tls().mode() == key;
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return "tls.mode is not " + key;
    }

    /** The mode as the operator writes it ({@code tls.mode}). */
    @Override
    public String toString() {
        return key.toString();
    }

    /** Whether a public proxy (nginx) runs at all. */
    public boolean hasProxy() {
        return true;
    }

    /** Whether nginx terminates TLS on ports.https and ports.federation. */
    public boolean terminatesTls() {
        return true;
    }

    /** Whether the agent writes the certificate files nginx reads (not certbot's volume, not the operator's proxy). */
    public boolean agentWritesCertificates() {
        return false;
    }

    /** Whether the agent obtains and renews the certificate itself with ACME (`renew`, the renewal schedule). */
    public boolean renewsWithAcme() {
        return false;
    }

    /** Whether the proxy's image brings its own port-80 server (challenges and redirect). */
    public boolean imageServesHttp() {
        return false;
    }

    /** The proxy's image. */
    public String proxyImage(InstallConfig config) {
        return config.images().nginx();
    }

    /** The proxy's compose template. */
    public String proxyComposeTemplate() {
        return "compose/proxy-nginx.yml.ftl";
    }

    @Override
    public List<Integer> publicPorts(InstallConfig config) {
        return List.of(config.ports().http(), config.ports().https(), config.ports().federation());
    }

    /** Where clients and other servers reach this homeserver. */
    public PublicAddresses publicAddresses(InstallConfig config) {
        return new PublicAddresses(config.domain(), config.ports().https(), config.ports().federation());
    }

    /** Where Element answers, for the line after the first admin is made. */
    public String elementUrl(InstallConfig config) {
        return publicAddresses(config).baseUrl();
    }

    /** Why the public TLS checks (doctor) do not apply here, or empty when nginx terminates TLS on this host. */
    public Optional<String> publicChecksSkipped() {
        return Optional.empty();
    }

    /** Whether a served chain that leads to no trusted root is expected (a warning, not a failure). */
    public boolean untrustedIsExpected() {
        return false;
    }

    /** How the running proxy takes changed server blocks or certificates. */
    public Command refresh(ComposeCli cli, String project, Path composeFile) {
        return Commands.nginxReload(cli, project, composeFile);
    }

    /** The change line's verb for {@link #refresh}, e.g. "reload". */
    public String refreshVerb() {
        return "reload";
    }

    /**
     * After the proxy stack is up: returns once nginx serves TLS for the domain, or fails within --timeout.
     * {@code compose}: the host's (empty: no engine yet, a dry run); {@code signalled}: when this run last told the
     * proxy to take changed files, if it did.
     */
    public void awaitServing(PlanContext context, Optional<ComposeCli> compose, Optional<Instant> signalled) {
        // nginx read the agent's files when it started or reloaded: nothing to wait for.
    }

    /**
     * The certificate and key the operator gave (files mode), installed as they are; empty where the agent keeps
     * what is installed or signs one.
     */
    public Optional<CertificatePair> givenCertificate(InstallConfig config) {
        return Optional.empty();
    }

    /** Whether an installed certificate whose key matches it stays as it is (its leaf given). */
    public boolean keepsInstalled(X509Certificate leaf, String domain) {
        return false;
    }

    /** What is said when the agent signs a certificate itself for nginx to start with. */
    public String selfSignedNote(String domain) {
        return "a self-signed certificate for " + domain;
    }

    @Override
    public Map<String, Object> templateValues(InstallConfig config) {
        PublicAddresses addresses = publicAddresses(config);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tls_mode", key.toString());
        values.put("proxy", Map.of("terminates_tls", terminatesTls(), "image_serves_http", imageServesHttp()));
        values.put("public", Map.of(
                "base_url", addresses.baseUrl(),
                "https_port_suffix", addresses.portSuffix(),
                "federation_address", addresses.federationAddress(),
                "federation_port", addresses.federationPort()));
        return values;
    }

    /** A certificate chain and its key, as PEM text. */
    public record CertificatePair(String fullchainPem, String keyPem) {}
}
