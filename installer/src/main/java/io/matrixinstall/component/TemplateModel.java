package io.matrixinstall.component;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.secrets.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one data model every template sees: config, layout paths, secrets, the host's IPv6 fact, and the values the
 * enabled components give ({@link Component#templateValues}: the public addresses, what the proxy does, ...).
 */
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
        model.put("certificate_names", config.certificateNames());
        model.put("federation", Map.of(
                "delegation", config.federation().delegation().toString(),
                "ca_certificate", config.federation().caCertificatePem()));
        if (secrets != null) {
            model.put("secrets", secrets.byFileName());
        }
        model.put("synapse_extra", config.synapseExtra().yaml());
        model.put("synapse_extra_keys", new TreeSet<>(config.synapseExtra().keys()));
        model.putAll(Components.templateValues(config));
        return model;
    }
}
