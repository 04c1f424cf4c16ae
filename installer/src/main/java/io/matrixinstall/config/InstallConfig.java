package io.matrixinstall.config;

import java.nio.file.Path;

/**
 * Everything the operator decides, validated and normalised. Immutable: the plan reads it, never changes it.
 *
 * @param domain      public host name of the homeserver (TLS certificate, base URL)
 * @param serverName  the Matrix server name in user IDs; equals {@code domain} unless delegated
 * @param email       operator contact (ACME account, certbot)
 * @param baseDir     matrix stack directory (seed: /data/matrix)
 * @param proxyDir    nginx stack directory (seed: /root/nginx)
 * @param proxyDataDir nginx configuration directory (seed: /data/nginx)
 */
public record InstallConfig(
        String domain,
        String serverName,
        String email,
        Path baseDir,
        Path proxyDir,
        Path proxyDataDir,
        String elementBrand,
        Images images,
        Ports ports,
        TlsMode tls,
        Projects projects,
        SynapseExtra synapseExtra) {

    /** How the public side is served. */
    public enum TlsMode {
        /** The seed's jonasal/nginx-certbot stack obtains and renews certificates itself. */
        NGINX_CERTBOT("nginx-certbot"),
        /** No public proxy: Synapse and Element on 127.0.0.1 only (trials, or a proxy set up by hand). */
        NONE("none");

        private final String key;

        TlsMode(String key) {
            this.key = key;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /** Compose project names; they prefix container and volume names. */
    public record Projects(String matrix, String proxy) {}

    /**
     * Operator's own Synapse settings, appended to homeserver.yaml.
     *
     * @param yaml the file's text ("" when none)
     * @param keys its top-level keys, so the template leaves out defaults the operator overrides
     */
    public record SynapseExtra(String yaml, java.util.Set<String> keys) {
        public static final SynapseExtra NONE = new SynapseExtra("", java.util.Set.of());
    }

    /** Image references, defaults from the seed deployment. */
    public record Images(String postgres, String synapse, String element, String proxy) {}

    /** Host ports. Synapse and Element are published on 127.0.0.1 only; https/federation are public. */
    public record Ports(int synapse, int element, int https, int federation) {}

    /** True when users are {@code @x:serverName} but the server answers at another host (well-known delegation). */
    public boolean delegated() {
        return !serverName.equals(domain);
    }

    /** The server name without a port: Synapse names its key and log files after it. */
    public String serverHost() {
        int colon = serverName.indexOf(':');
        return colon < 0 ? serverName : serverName.substring(0, colon);
    }
}
