package io.matrixinstall.render;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.config.TurnSettings;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secrets;
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
        return of(config, layout, secrets, ipv6, Map.of());
    }

    /** {@code found}: values steps learnt on the host (see PlanContext#useTemplateValues), merged key by key. */
    public static Map<String, Object> of(InstallConfig config, Layout layout, Secrets secrets, boolean ipv6,
            Map<String, Map<String, Object>> found) {
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
        model.put("synapse_extra", config.synapseExtra().yaml());
        model.put("synapse_extra_keys", new java.util.TreeSet<>(config.synapseExtra().keys()));
        model.put("turn", turn(config, layout));
        found.forEach((key, values) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) model.getOrDefault(key, Map.of()));
            merged.putAll(values);
            model.put(key, merged);
        });
        return model;
    }

    /**
     * The TURN server's settings. Its secret and external address are found on the host (TurnStep); until then
     * {@code ready} is false and the templates leave TURN out rather than render it half.
     */
    private static Map<String, Object> turn(InstallConfig config, Layout layout) {
        TurnSettings turn = TurnSettings.of(config);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("enabled", turn.enabled());
        model.put("port", turn.port());
        model.put("tls_port", turn.tlsPort());
        model.put("tls", turn.tlsServed(config.tls().mode()));
        model.put("relay_min_port", turn.relayMinPort());
        model.put("relay_max_port", turn.relayMaxPort());
        model.put("user_lifetime", turn.userLifetime());
        model.put("image", turn.image());
        model.put("live_dir", layout.liveDir().toString());
        return model;
    }
}
