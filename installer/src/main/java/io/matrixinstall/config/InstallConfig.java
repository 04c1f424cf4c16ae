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
 * @param registration who may create an account (registration.mode)
 * @param branding    Element's welcome page, logo and default theme
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
        Tls tls,
        Projects projects,
        SynapseExtra synapseExtra,
        Renewal renewal,
        RegistrationMode registration,
        Branding branding,
        Federation federation,
        java.util.SortedMap<String, String> settings) {

    /** How other servers find this one when the server name is not the domain (docs/federation.md). */
    public enum Delegation {
        /** The server name's own web host publishes the well-known documents `up` prints. */
        ELSEWHERE("elsewhere"),
        /** The server name points at this host too: nginx serves its well-known documents. */
        HERE("here"),
        /** A {@code _matrix-fed._tcp} SRV record of the server name points at this host. */
        SRV("srv");

        private final String key;

        Delegation(String key) {
            this.key = key;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /**
     * Federation settings.
     *
     * @param caCertificatePem PEM roots Synapse trusts for outbound federation ("" for the system's)
     */
    public record Federation(Delegation delegation, String caCertificatePem) {
        public static final Federation DEFAULT = new Federation(Delegation.ELSEWHERE, "");

        @Override
        public String toString() {
            return "Federation[" + delegation + ", ca " + (caCertificatePem.isEmpty() ? "system" : "custom") + "]";
        }
    }

    /**
     * Where and how certificate renewal is scheduled on the host.
     *
     * @param schedule auto (systemd when it runs, else cron), systemd, cron or none
     */
    public record Renewal(String schedule, Path agentDir, Path systemdDir, Path cronDir) {}

    /** How the public side is served: the value of {@code tls.mode}; what each one does is its class in component/tls. */
    public enum TlsMode {
        /** The agent obtains and renews certificates itself with ACME (HTTP-01 through nginx's port 80). */
        ACME("acme"),
        /** The seed's jonasal/nginx-certbot stack obtains and renews certificates itself. */
        NGINX_CERTBOT("nginx-certbot"),
        /** Operator-provided certificate and key. */
        FILES("files"),
        /** Behind a TLS-terminating proxy the operator runs: nginx serves plain HTTP on ports.http. */
        EXTERNAL("external"),
        /** A certificate the agent signs itself: for a LAN or a trial. Clients will warn. */
        SELF_SIGNED("self-signed"),
        /** No public proxy: Synapse and Element on 127.0.0.1 only. */
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

    /**
     * TLS settings.
     *
     * @param acmeDirectory   ACME directory URL (acme mode)
     * @param acmeTrustedRoot PEM text of an extra root trusted for the directory's own HTTPS ("" for none)
     * @param certificatePem  the operator's chain (files mode, "" otherwise)
     * @param keyPem          the operator's key (files mode, "" otherwise)
     * @param trustedProxy    the operator's TLS proxy (external mode)
     */
    public record Tls(TlsMode mode, String acmeDirectory, String acmeTrustedRoot, String certificatePem, String keyPem,
            TrustedProxy trustedProxy) {
        @Override
        public String toString() {
            return "Tls[" + mode + ", " + acmeDirectory + "]"; // never the key
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
    public record Images(String postgres, String synapse, String element, String proxy, String nginx) {}

    /** Host ports. Synapse and Element are published on 127.0.0.1 only; https/federation are public. */
    public record Ports(int synapse, int element, int http, int https, int federation) {}

    /** True when users are {@code @x:serverName} but the server answers at another host (well-known delegation). */
    public boolean delegated() {
        return !serverName.equals(domain);
    }

    /**
     * The names the certificate covers: the domain, and the server name when other servers reach it here (the
     * well-known documents served here, or an SRV record, where the spec checks the server name's certificate).
     */
    public java.util.List<String> certificateNames() {
        if (delegated() && federation.delegation() != Delegation.ELSEWHERE && !serverHost().equals(domain)) {
            return java.util.List.of(domain, serverHost());
        }
        return java.util.List.of(domain);
    }

    /** Every key set by the file or flags, as given: what `renew` needs to see the same configuration. */
    /** {@code refresh.schedule}: daily (default) or off. */
    public String refreshSchedule() {
        return settings.getOrDefault(ConfigKey.REFRESH_SCHEDULE.key(), "daily");
    }

    public java.util.SortedMap<String, String> settings() {
        return java.util.Collections.unmodifiableSortedMap(settings);
    }

    /** PostgreSQL majors the product runs (Synapse needs 14 or later; 15 is the seed's). */
    public static final java.util.List<String> POSTGRES_VERSIONS = java.util.List.of("15", "16", "17");

    /** {@code postgres.version}: the major the database runs; only `db upgrade` moves it (the data must be dumped). */
    public int postgresVersion() {
        return Integer.parseInt(settings.getOrDefault(ConfigKey.POSTGRES_VERSION.key(),
                ConfigKey.POSTGRES_VERSION.defaultValue().orElseThrow()).trim());
    }

    /** The server name without a port: Synapse names its key and log files after it. */
    public String serverHost() {
        int colon = serverName.indexOf(':');
        return colon < 0 ? serverName : serverName.substring(0, colon);
    }
}
