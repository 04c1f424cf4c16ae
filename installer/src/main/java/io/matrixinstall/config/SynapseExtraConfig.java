package io.matrixinstall.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code synapse.extra_config}: more Synapse settings for homeserver.yaml. Keys the installer
 * owns (server name, listeners, database, secrets, paths) are refused, so the file can add and
 * override behaviour but cannot break the stack's wiring. Synapse itself checks the values before apply.
 */
final class SynapseExtraConfig {
    /** Set by templates/matrix/homeserver.yaml.ftl and not overridable. */
    static final Set<String> MANAGED = Set.of("server_name", "public_baseurl", "pid_file", "report_stats", "listeners",
            "database", "log_config", "media_store_path", "signing_key_path", "registration_shared_secret",
            "registration_shared_secret_path", "macaroon_secret_key", "macaroon_secret_key_path", "form_secret",
            "form_secret_path");

    private SynapseExtraConfig() {}

    static InstallConfig.SynapseExtra read(String key, String location) {
        Path path = Path.of(location);
        YamlFile file = YamlFile.read(key, path);
        Object root = file.root();
        String text = file.text();
        if (root == null) {
            return InstallConfig.SynapseExtra.NONE;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(key, path + " must be a mapping of Synapse settings");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (Object k : map.keySet()) {
            String name = String.valueOf(k);
            if (MANAGED.contains(name)) {
                throw new ConfigException(key, path + " sets '" + name + "', which matrix-install manages");
            }
            keys.add(name);
        }
        return new InstallConfig.SynapseExtra(text.endsWith("\n") ? text : text + "\n", Set.copyOf(keys));
    }
}
