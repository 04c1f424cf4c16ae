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
        Ports ports) {

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
