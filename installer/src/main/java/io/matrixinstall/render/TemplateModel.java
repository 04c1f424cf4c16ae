package io.matrixinstall.render;

import io.matrixinstall.config.Branding;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.config.LdapSettings;
import io.matrixinstall.config.MailSettings;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secrets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one data model every template sees: config, layout paths, secrets and the host's IPv6 fact. */
public final class TemplateModel {
    private TemplateModel() {}

    /** For templates that do not render listeners (Synapse's files, messages): no IPv6 listeners. */
    public static Map<String, Object> of(InstallConfig config, Layout layout, Secrets secrets) {
        return of(config, layout, secrets, false);
    }

    /**
     * {@code secrets} may be null for templates that need none (messages to the operator); {@code ipv6}: the
     * host can bind IPv6 ({@link HostIpv6}), so nginx gets an IPv6 twin of every listener.
     */
    public static Map<String, Object> of(InstallConfig config, Layout layout, Secrets secrets, boolean ipv6) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("domain", config.domain());
        model.put("server_name", config.serverName());
        model.put("server_host", config.serverHost());
        model.put("email", config.email());
        model.put("element_brand", config.elementBrand());
        model.put("images", Map.of(
                "postgres", config.images().postgres(),
                "synapse", config.images().synapse(),
                "element", config.images().element(),
                "proxy", config.images().proxy(),
                "nginx", config.images().nginx()));
        model.put("postgres", Map.of(
                "version", config.postgresVersion(),
                "volume", Layout.databaseVolumeKey(config.postgresVersion())));
        model.put("ports", Map.of(
                "synapse", config.ports().synapse(),
                "element", config.ports().element(),
                "http", config.ports().http(),
                "https", config.ports().https(),
                "federation", config.ports().federation()));
        PublicAddresses addresses = PublicAddresses.of(config);
        model.put("public", Map.of(
                "base_url", addresses.baseUrl(),
                "https_port_suffix", addresses.portSuffix(),
                "federation_address", addresses.federationAddress(),
                "federation_port", addresses.federationPort()));
        model.put("external", Map.of(
                "trusted_proxy", config.tls().trustedProxy().cidr(),
                "loopback", config.tls().trustedProxy().loopback()));
        model.put("ipv6", ipv6);
        model.put("paths", Map.of(
                "base_dir", layout.baseDir().toString(),
                "user_conf_dir", layout.userConfDir().toString(),
                "certbot_env", layout.certbotEnv().toString(),
                "letsencrypt_dir", layout.letsencryptDir().toString(),
                "acme_webroot", layout.acmeWebroot().toString(),
                "certbot_image_redirector", layout.certbotImageRedirector().toString(),
                "certbot_trust_dir", layout.certbotTrustDir().toString()));
        model.put("acme", Map.of(
                "directory", config.tls().acmeDirectory(),
                "ca_certificate", config.tls().acmeTrustedRoot()));
        model.put("tls_mode", config.tls().mode().toString());
        if (secrets != null) {
            model.put("secrets", secrets.byFileName());
        }
        model.put("registration_mode", config.registration().toString());
        model.put("branding", branding(config.branding()));
        MailSettings.of(config).ifPresent(mail -> model.put("mail", Map.of(
                "host", mail.host(), "port", mail.port(), "user", mail.user(), "password", mail.password(),
                "from", mail.from(), "tls", mail.tls().toString())));
        LdapSettings.of(config).ifPresent(ldap -> model.put("ldap", Map.of(
                "uri", ldap.uri(), "base", ldap.base(), "bind_dn", ldap.bindDn(), "bind_password", ldap.bindPassword(),
                "bind_password_file", "/data/" + layout.ldapBindPassword().getFileName(),
                "filter", ldap.filter(), "attributes", ldap.attributes())));
        model.put("synapse_extra", config.synapseExtra().yaml());
        model.put("synapse_extra_keys", new java.util.TreeSet<>(config.synapseExtra().keys()));
        return model;
    }

    /**
     * Element's branding as its config.json names it: URLs relative to Element (served at the root), under the
     * directory Compose mounts at /app/branding, each with its content's hash so browsers drop an older copy.
     */
    private static Map<String, Object> branding(Branding branding) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("files", branding.hasFiles());
        model.put("welcome_url", branding.welcomePage().map(TemplateModel::url).orElse(""));
        model.put("logo_url", branding.logo().map(TemplateModel::url).orElse(""));
        model.put("theme", branding.theme().orElse(""));
        return model;
    }

    private static String url(Branding.File file) {
        return "branding/" + file.name() + "?v=" + new ContentHash().file(Path.of(file.name()), file.content()).hex().substring(0, 12);
    }
}
