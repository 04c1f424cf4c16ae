package io.matrixinstall.ops.checks;

import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.component.tls.TlsModes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.HostHttp;
import io.matrixinstall.tls.CertificateFiles;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Federation as another homeserver finds it: the server name resolved by the spec's discovery through the host's
 * DNS ({@link ServerDiscovery}), a connection to what that finds, a certificate for the right name that remote servers
 * trust, and the signed server key (signature, validity, server name). A failure names its step and what to change.
 */
final class FederationProbe implements Probe {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration READ = Duration.ofSeconds(10);

    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        InstallConfig config = context.config();
        // Behind the admin's own proxy (external) discovery still leads somewhere a remote server connects to.
        TlsModeComponent mode = TlsModes.of(config);
        if (!mode.hasProxy()) {
            return CheckResult.skip(check, context.noPublicTls());
        }
        boolean selfSigned = mode.untrustedIsExpected();
        Predicate<List<X509Certificate>> trusted = trust(context);
        // A self-signed install trusts its own certificate here, so the rest is checked; the result says it is one.
        ServerDiscovery discovery = new ServerDiscovery(context.host(), context.dns(), chain -> selfSigned || trusted.test(chain));
        try {
            ServerDiscovery.Destination destination = discovery.resolve(config.serverName());
            String verified = keyAt(context, destination, config.serverName(), selfSigned ? chain -> true : trusted);
            String message = config.serverName() + " → " + destination.route() + ": " + verified;
            return selfSigned ? CheckResult.warn(check, message + "; self-signed (tls.mode " + mode + "): other servers will"
                    + " not trust it") : CheckResult.ok(check, message);
        } catch (ServerDiscovery.Failed failed) {
            return CheckResult.fail(check, failed.step + ": " + failed.getMessage() + " → " + failed.change);
        }
    }

    /** Connects to the endpoints in order; the first that answers is judged, as a remote server would judge it. */
    private static String keyAt(CheckContext context, ServerDiscovery.Destination destination, String serverName,
            Predicate<List<X509Certificate>> trusted) {
        String name = destination.certificateName();
        List<String> refused = new ArrayList<>();
        for (ServerDiscovery.Endpoint endpoint : destination.endpoints()) {
            HostHttp.Response response;
            try {
                response = new HostHttp(context.host(), endpoint.address(), endpoint.port(), CONNECT, READ)
                        .get("https", name, "/_matrix/key/v2/server");
            } catch (IOException | HostException e) {
                refused.add(endpoint + " " + ServerDiscovery.why(e));
                continue;
            }
            String where = name + " at " + endpoint;
            List<X509Certificate> chain = response.chain();
            if (chain.isEmpty() || !CertificateFiles.covers(chain.get(0), name)) {
                throw new ServerDiscovery.Failed("certificate", destination.route() + ": " + where + " serves a certificate for "
                        + (chain.isEmpty() ? "nothing" : CertificateFiles.dnsNames(chain.get(0))) + ", not " + name,
                        "serve a certificate covering " + name + " there (add it to the certificate's names)");
            }
            if (!trusted.test(chain)) {
                throw new ServerDiscovery.Failed("certificate", where + " serves a chain that leads to no trusted root"
                        + (context.config().federation().caCertificatePem().isEmpty() ? "" : " of federation.ca_certificate"),
                        "serve a certificate of a CA the peers trust (tls.mode acme) with its intermediates");
            }
            if (response.status() != 200) {
                throw new ServerDiscovery.Failed("key", where + ": /_matrix/key/v2/server answers " + response.status(),
                        "make that port reach Synapse through nginx (matrix-install up; status)");
            }
            String verdict;
            try {
                verdict = ServerKeyProbe.verify(new ObjectMapper().readTree(response.body()), serverName, System.currentTimeMillis());
            } catch (IOException e) {
                verdict = "/_matrix/key/v2/server is not JSON";
            }
            if (!verdict.startsWith("verified")) {
                throw new ServerDiscovery.Failed("key", where + ": " + verdict, keyChange(verdict));
            }
            return "connected to " + endpoint + ", certificate for " + name + ", " + verdict;
        }
        throw new ServerDiscovery.Failed("connect", destination.route() + ": " + String.join("; ", refused), destination.fallback()
                ? "open port " + ServerDiscovery.DEFAULT_PORT + " on " + name + ", or delegate: serve /.well-known/matrix/server on https://"
                        + name + " or publish an SRV record _matrix-fed._tcp." + name + " (matrix-install up prints both)"
                : "open that port to other servers (firewall, ports.federation) or correct the record that points there");
    }

    /**
     * The roots the peers are taken to trust: with {@code federation.ca_certificate} only those (a private federation:
     * Synapse's federation_custom_ca_list replaces its system roots), else the JVM's public ones.
     */
    private static Predicate<List<X509Certificate>> trust(CheckContext context) {
        String roots = context.config().federation().caCertificatePem();
        if (roots.isEmpty()) {
            return context.endpoint()::trusted;
        }
        List<X509Certificate> anchors = CertificateFiles.parseChain(roots);
        return chain -> PublicEndpoint.chainsTo(chain, anchors);
    }

    private static String keyChange(String verdict) {
        if (verdict.startsWith("the key document names server")) {
            return "discovery leads to another server: point the well-known or SRV record at this one";
        }
        if (verdict.startsWith("the key document expired")) {
            return "Synapse serves a stale key: check the host's clock (doctor's clock check) and restart synapse";
        }
        return "restore the signing key (base_dir/files) from a backup; other servers refetch it within a day";
    }
}
