package io.matrixinstall.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** Every key the configuration file and {@code --set} accept, with its default (null: required or derived). */
public enum ConfigKey {
    DOMAIN("domain", null, "public host name, e.g. matrix.example.org"),
    SERVER_NAME("server_name", null, "Matrix server name (default: domain)"),
    EMAIL("email", null, "operator e-mail for certificates"),
    BASE_DIR("base_dir", "/data/matrix", "matrix stack directory"),
    PROXY_DIR("proxy_dir", "/root/nginx", "nginx stack directory"),
    PROXY_DATA_DIR("proxy_data_dir", "/data/nginx", "nginx configuration directory"),
    ELEMENT_BRAND("element.brand", "Element", "name shown by Element Web"),
    POSTGRES_VERSION("postgres.version", "15", "PostgreSQL major version of the database: 15, 16 or 17 (changed by `db upgrade`)"),
    IMAGE_POSTGRES("images.postgres", "postgres:15-alpine", "PostgreSQL image (default postgres:<postgres.version>-alpine)"),
    IMAGE_SYNAPSE("images.synapse", "matrixdotorg/synapse:latest", "Synapse image"),
    IMAGE_ELEMENT("images.element", "vectorim/element-web:latest", "Element Web image"),
    IMAGE_PROXY("images.proxy", "jonasal/nginx-certbot:latest", "nginx-certbot proxy image (tls.mode nginx-certbot)"),
    IMAGE_NGINX("images.nginx", "nginx:stable-alpine", "nginx proxy image (every other tls.mode)"),
    PORT_SYNAPSE("ports.synapse", "8008", "Synapse port on 127.0.0.1"),
    PORT_ELEMENT("ports.element", "8080", "Element port on 127.0.0.1"),
    PORT_HTTP("ports.http", "80", "public HTTP port (ACME challenges, redirect; the listener in tls.mode external)"),
    PORT_HTTPS("ports.https", "443", "public HTTPS port"),
    PORT_FEDERATION("ports.federation", "8448", "public federation port"),
    TLS_MODE("tls.mode", "acme", "how TLS is served: acme, nginx-certbot, files, external, self-signed or none"),
    ACME_DIRECTORY("tls.acme.directory", "https://acme-v02.api.letsencrypt.org/directory", "ACME directory URL"),
    ACME_STAGING("tls.acme.staging", "false", "use Let's Encrypt's staging CA"),
    ACME_CA_CERTIFICATE("tls.acme.ca_certificate", null, "PEM file trusted for the ACME directory's HTTPS (private CAs)"),
    FILES_CERTIFICATE("tls.files.certificate", null, "PEM certificate chain (tls.mode files)"),
    FILES_KEY("tls.files.key", null, "PEM private key (tls.mode files)"),
    EXTERNAL_TRUSTED_PROXY("tls.external.trusted_proxy", "127.0.0.1",
            "address or CIDR range of your TLS proxy (tls.mode external): the only source of trusted X-Forwarded-*"),
    MATRIX_PROJECT("compose.matrix_project", "matrix", "Compose project name of the matrix stack"),
    PROXY_PROJECT("compose.proxy_project", "nginx", "Compose project name of the nginx stack"),
    RENEWAL_SCHEDULE("renewal.schedule", "auto", "how renew runs twice a day: auto, systemd, cron or none"),
    RENEWAL_AGENT_DIR("renewal.agent_dir", "/usr/local/lib/matrix-install", "agent jar, its configuration and renew.log"),
    RENEWAL_SYSTEMD_DIR("renewal.systemd_dir", "/etc/systemd/system", "where the systemd timer goes"),
    RENEWAL_CRON_DIR("renewal.cron_dir", "/etc/cron.d", "where the cron entry goes (hosts without systemd)"),
    REFRESH_SCHEDULE("refresh.schedule", "daily", "unattended image refresh (update + prune): daily, or off"),
    SYNAPSE_EXTRA("synapse.extra_config", null, "YAML file with more Synapse settings, merged into homeserver.yaml");

    private final String key;
    private final String defaultValue;
    private final String help;

    ConfigKey(String key, String defaultValue, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.help = help;
    }

    public String key() {
        return key;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String help() {
        return help;
    }

    public static Optional<ConfigKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /** The known key closest to a mistyped one, for "did you mean" hints. */
    static Optional<ConfigKey> closest(String key) {
        return Arrays.stream(values())
                .min(Comparator.comparingInt(k -> editDistance(k.key, key)))
                .filter(k -> editDistance(k.key, key) <= Math.max(2, key.length() / 4));
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
