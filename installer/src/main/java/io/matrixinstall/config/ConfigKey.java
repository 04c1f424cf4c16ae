package io.matrixinstall.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Every key the configuration file and {@code --set} accept, with its default (null: required or derived), what it is
 * and its notes. docs/configuration-reference.md is rendered from here ({@link ConfigReference}).
 */
public enum ConfigKey {
    DOMAIN("domain", null, "public host name, e.g. matrix.example.org",
            "**Required.** A DNS name; lower-cased."),
    SERVER_NAME("server_name", null, "Matrix server name (default: domain)",
            "The `:server` of user IDs; may carry a port. **Can never change** once installed (read back from the host)."),
    DELEGATION("delegation", "elsewhere", "when server_name differs from domain, how other servers find this one:"
            + " elsewhere, here or srv",
            "`elsewhere`: the server name's web host (not this one) publishes the well-known documents `up` prints."
                    + " `here`: the server name points at this host too; nginx serves its well-known documents and the"
                    + " certificate covers both names. `srv`: a `_matrix-fed._tcp` SRV record (printed by `up`) points at"
                    + " this host; the certificate covers both names (the spec wants the server name's certificate there)."
                    + " See [Federation](federation.md)."),
    EMAIL("email", null, "operator e-mail for certificates",
            "**Required.** An e-mail address, for the ACME account or certbot."),
    BASE_DIR("base_dir", "/data/matrix", "matrix stack directory", Notes.DIRECTORY),
    PROXY_DIR("proxy_dir", "/root/nginx", "nginx stack directory", Notes.DIRECTORY),
    PROXY_DATA_DIR("proxy_data_dir", "/data/nginx", "nginx configuration directory", Notes.DIRECTORY),
    ELEMENT_BRAND("element.brand", "Element", "name shown by Element Web", "Not empty, at most 100 characters."),
    ELEMENT_WELCOME_PAGE("element.welcome_page", null, "HTML file served as Element's welcome page",
            "UTF-8 HTML (`.html`/`.htm`), at most 1 MiB; copied to `<base_dir>/element-branding/` and served by Element."
                    + " Unset: Element's own page. See [Branding](configuration.md#branding). " + Notes.OPERATOR_FILE),
    ELEMENT_LOGO("element.logo", null, "logo above Element's sign-in and sign-up forms: PNG, JPEG, GIF, WebP or SVG",
            "At most 512 KiB; the type is read from the content (an SVG must not hold scripts). See"
                    + " [Branding](configuration.md#branding). " + Notes.OPERATOR_FILE),
    ELEMENT_DEFAULT_THEME("element.default_theme", null, "Element's theme until a user picks one: light or dark",
            "Unset: Element's own default."),
    POSTGRES_VERSION("postgres.version", "15", "PostgreSQL major version of the database: 15, 16 or 17 (changed by `db upgrade`)",
            "Picks the default image (`postgres:<version>-alpine`) and the volume (`postgres-data` for 15,"
                    + " `postgres-data-<version>` otherwise); see [Upgrading PostgreSQL](backups.md#upgrading-postgresql)."),
    IMAGE_POSTGRES("images.postgres", "postgres:15-alpine", "PostgreSQL image (default postgres:<postgres.version>-alpine)",
            Notes.IMAGE),
    IMAGE_SYNAPSE("images.synapse", "matrixdotorg/synapse:latest", "Synapse image", Notes.IMAGE),
    IMAGE_ELEMENT("images.element", "vectorim/element-web:latest", "Element Web image", Notes.IMAGE),
    IMAGE_PROXY("images.proxy", "jonasal/nginx-certbot:latest", "nginx-certbot proxy image (tls.mode nginx-certbot)", Notes.IMAGE),
    IMAGE_NGINX("images.nginx", "nginx:stable-alpine", "nginx proxy image (every other tls.mode)", Notes.IMAGE),
    IMAGE_COTURN("images.coturn", "coturn/coturn:latest", "TURN server image (turn.enabled)", Notes.IMAGE),
    PORT_SYNAPSE("ports.synapse", "8008", "Synapse port on 127.0.0.1", "Published on 127.0.0.1 only. " + Notes.PORT),
    PORT_ELEMENT("ports.element", "8080", "Element port on 127.0.0.1", "Published on 127.0.0.1 only. " + Notes.PORT),
    PORT_HTTP("ports.http", "80", "public HTTP port (ACME challenges, redirect; the listener in tls.mode external)",
            "A public listener of nginx. " + Notes.PORT),
    PORT_HTTPS("ports.https", "443", "public HTTPS port",
            "A public listener of nginx; a non-default port is carried by `public_baseurl`, Element's `base_url`, the client well-known and the"
                    + " port-80 redirect. " + Notes.PORT),
    PORT_FEDERATION("ports.federation", "8448", "public federation port",
            "A public listener of nginx; the well-known `m.server` names it. " + Notes.PORT),
    TLS_MODE("tls.mode", "acme", "how TLS is served: acme, nginx-certbot, files, external, self-signed or none",
            "See [TLS modes](tls.md)."),
    ACME_DIRECTORY("tls.acme.directory", "https://acme-v02.api.letsencrypt.org/directory", "ACME directory URL",
            "An `https://` URL of any ACME CA (default: Let's Encrypt production), for the agent (`acme`) or for certbot"
                    + " in the proxy (`nginx-certbot`)."),
    ACME_STAGING("tls.acme.staging", "false", "use Let's Encrypt's staging CA",
            "`true` or `false`; the flag `--acme-staging` sets it. Refused together with `tls.acme.directory`."),
    ACME_CA_CERTIFICATE("tls.acme.ca_certificate", null, "PEM file trusted for the ACME directory's HTTPS (private CAs)",
            "A root for private CAs such as step-ca or Pebble; in `nginx-certbot` certbot trusts it through"
                    + " `REQUESTS_CA_BUNDLE`. " + Notes.OPERATOR_FILE),
    FEDERATION_CA_CERTIFICATE("federation.ca_certificate", null,
            "PEM file of roots Synapse trusts for outbound federation besides the system's (private federations)",
            "Rendered to `files/federation-ca.pem` and Synapse's `federation_custom_ca_list` (which then replaces the"
                    + " system roots for federation: include every root your peers use). See [Federation](federation.md). "
                    + Notes.OPERATOR_FILE),
    FILES_CERTIFICATE("tls.files.certificate", null, "PEM certificate chain (tls.mode files)", Notes.FILES_MODE),
    FILES_KEY("tls.files.key", null, "PEM private key (tls.mode files)", Notes.FILES_MODE),
    EXTERNAL_TRUSTED_PROXY("tls.external.trusted_proxy", "127.0.0.1",
            "address or CIDR range of your TLS proxy (tls.mode external): the only source of trusted X-Forwarded-*",
            "The only source whose `X-Forwarded-For`/`-Proto` nginx believes. Loopback: nginx listens on loopback"
                    + " only; otherwise on every address, but answers only that proxy and this host."),
    MATRIX_PROJECT("compose.matrix_project", "matrix", "Compose project name of the matrix stack", Notes.PROJECT),
    PROXY_PROJECT("compose.proxy_project", "nginx", "Compose project name of the nginx stack", Notes.PROJECT),
    RENEWAL_SCHEDULE("renewal.schedule", "auto", "how renew runs twice a day: auto, systemd, cron or none",
            "`acme` mode: a systemd timer (`systemd`, or `auto` where systemd runs), a cron entry (`cron`, or `auto`"
                    + " without systemd), or `none`. Also picks how `refresh` is scheduled."),
    RENEWAL_AGENT_DIR("renewal.agent_dir", "/usr/local/lib/matrix-install", "agent jar and renew.log",
            "Where `up` leaves the jar the renewal and refresh schedules run. " + Notes.DIRECTORY),
    RENEWAL_SYSTEMD_DIR("renewal.systemd_dir", "/etc/systemd/system", "where the systemd timer goes",
            "The renewal and refresh timers. May be the system directory it is for. " + Notes.DIRECTORY),
    RENEWAL_CRON_DIR("renewal.cron_dir", "/etc/cron.d", "where the cron entry goes (hosts without systemd)",
            "The renewal and refresh cron entries. May be the system directory it is for. " + Notes.DIRECTORY),
    REFRESH_SCHEDULE("refresh.schedule", "daily", "unattended image refresh (update + prune): daily, or off",
            "`daily`: once a day at a time derived from the domain; `off` removes it. See"
                    + " [Updating](operating.md#updating)."),
    MAIL_SMTP_HOST("mail.smtp_host", null, "SMTP server Synapse sends its mails through; unset: no e-mail",
            "Turns e-mail on (password reset, e-mail verification, notifications). A DNS name or IP address as the"
                    + " server's machine reaches it. See [E-mail](email.md)."),
    MAIL_SMTP_PORT("mail.smtp_port", null, "SMTP port (default: 587 for starttls, 465 for tls, 25 for none)",
            "1-65535. " + Notes.MAIL),
    MAIL_SMTP_USER("mail.smtp_user", null, "SMTP login name; unset: no login",
            "Set together with `mail.smtp_password_file`. " + Notes.MAIL),
    MAIL_SMTP_PASSWORD_FILE("mail.smtp_password_file", null, "file holding the SMTP password, in one line",
            "Read when the configuration is loaded; the password goes only into homeserver.yaml (991:991 0600), as"
                    + " Synapse has no password-file setting for SMTP. " + Notes.MAIL + " "
                    + Notes.OPERATOR_FILE),
    MAIL_FROM("mail.from", null, "sender of Synapse's mails, e.g. `Matrix <matrix@example.org>`",
            "Required with `mail.smtp_host`: an address, optionally as `Name <address>`. " + Notes.MAIL),
    MAIL_TLS("mail.tls", "starttls", "how the SMTP connection is secured: starttls, tls or none",
            "`starttls` (default) refuses a server that does not offer STARTTLS; `tls` is implicit TLS (SMTPS);"
                    + " `none` sends in clear (a relay on the same machine or a trusted network only). The server's"
                    + " certificate must be valid for `mail.smtp_host`. " + Notes.MAIL),
    LDAP_URI("ldap.uri", null, "LDAP directory users sign in with, e.g. `ldaps://ldap.example.org`; unset: no directory",
            "Turns directory sign-in on (`matrix-synapse-ldap3`). `ldap://` or `ldaps://`; use `ldaps://` unless the"
                    + " directory is on a trusted network (users' passwords travel to it). See [LDAP sign-in](ldap.md)."),
    LDAP_BASE("ldap.base", null, "search base of the users, e.g. `ou=people,dc=example,dc=org`",
            "Required with `ldap.uri`. " + Notes.LDAP),
    LDAP_BIND_DN("ldap.bind_dn", null, "DN the server binds as to search for users; unset: users bind as uid=NAME,BASE",
            "Set together with `ldap.bind_password_file`. " + Notes.LDAP),
    LDAP_BIND_PASSWORD_FILE("ldap.bind_password_file", null, "file holding the bind DN's password, in one line",
            "Copied to base_dir/files/ldap_bind_password (991:991 0600), which Synapse reads through"
                    + " `bind_password_file`: never in homeserver.yaml or the container's environment. " + Notes.LDAP
                    + " " + Notes.OPERATOR_FILE),
    LDAP_FILTER("ldap.filter", null, "extra LDAP filter users must match, e.g. `(memberOf=cn=matrix,dc=example,dc=org)`",
            "One parenthesised filter; needs `ldap.bind_dn`. " + Notes.LDAP),
    LDAP_ATTRIBUTES("ldap.attributes", "uid=uid,name=cn,mail=mail",
            "directory attributes of the user ID, display name and e-mail",
            "`uid=ATTR,name=ATTR,mail=ATTR`, all three. " + Notes.LDAP),
    TURN_ENABLED("turn.enabled", "false", "run a TURN server (coturn) for voice and video calls behind NAT",
            "`true` or `false`. `false` removes the service, its configuration and its secret. See [TURN](turn.md)."),
    TURN_EXTERNAL_IP("turn.external_ip", null, "public IPv4 address of the TURN relay (default: detected)",
            "When absent, the first IPv4 address the host resolves `domain` to; a loopback, private or link-local"
                    + " answer is refused in one line asking for this key. See [TURN](turn.md)."),
    TURN_PORT("turn.port", "3478", "TURN/STUN port, UDP and TCP, on every address", Notes.TURN_PORT),
    TURN_TLS_PORT("turn.tls_port", "5349", "TURN over TLS port (TLS modes whose certificate the agent holds)", Notes.TURN_PORT),
    TURN_RELAY_MIN_PORT("turn.relay_min_port", "49160", "first UDP port of the relay range",
            "Each relayed call takes one port of it; it must not contain `turn.port` or `turn.tls_port`. Open it (UDP)"
                    + " in the firewall."),
    TURN_RELAY_MAX_PORT("turn.relay_max_port", "49200", "last UDP port of the relay range", "See `turn.relay_min_port`."),
    TURN_USER_LIFETIME("turn.user_lifetime", "1h", "how long the TURN credentials Synapse hands out stay valid",
            "Synapse's duration syntax (`30m`, `1h`, `1d`); Synapse's `turn_user_lifetime`."),
    SYNAPSE_EXTRA("synapse.extra_config", null, "YAML file with more Synapse settings, merged into homeserver.yaml",
            "Appended to homeserver.yaml; keys matrix-install manages (server name, listeners, database, secrets,"
                    + " paths) are refused; Synapse checks the result before it is applied. " + Notes.OPERATOR_FILE),
    REGISTRATION_MODE("registration.mode", "closed", "who may create an account: closed, token or open",
            "`closed`: only the admin (`user add`); `token`: sign-up with a token from `matrix-install token create`;"
                    + " `open`: anyone, with a verified e-mail address, so refused unless `mail.smtp_host` is set. While"
                    + " not `closed`, `synapse.extra_config` may not set the registration keys. See [Registration](registration.md).");

    /** Notes several keys share (an enum's own constants cannot be named in its constants' arguments). */
    private static final class Notes {
        static final String DIRECTORY = "See [Directory keys](configuration.md#directory-keys).";
        static final String IMAGE = "A Docker image reference.";
        static final String PORT = "1-65535; no two `ports.*` the same.";
        static final String OPERATOR_FILE = "See [Files the operator names](configuration.md#files-the-operator-names).";
        static final String FILES_MODE = "Required when `tls.mode` is `files`; checked before anything changes (parses,"
                + " key matches, covers the domain, not expired). " + OPERATOR_FILE;
        static final String MAIL = "Only with `mail.smtp_host`.";
        static final String LDAP = "Only with `ldap.uri`.";
        static final String TURN_PORT = "coturn runs on the host's network and listens on every address; the two differ. See [TURN](turn.md).";
        static final String PROJECT = "Lower-case letters, digits, `-` and `_`; the two projects must differ"
                + " (defaults: the seed's directory names).";
    }

    private final String key;
    private final String defaultValue;
    private final String help;
    private final String notes;

    ConfigKey(String key, String defaultValue, String help, String notes) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.help = help;
        this.notes = notes;
    }

    public String key() {
        return key;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** What the key is, in a phrase (also the hint of a "required" error). */
    public String help() {
        return help;
    }

    /** Rules and consequences beyond {@link #help()}, as Markdown: the notes column of the configuration reference. */
    public String notes() {
        return notes;
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
