package io.matrixinstall.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the YAML file and the command-line settings onto one {@link InstallConfig}.
 * Both are first flattened to dotted keys ({@code images.synapse}), so a flag and a file entry are the
 * same thing; flags win. Unknown keys and bad values stop here, before anything touches the host.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static InstallConfig load(Optional<Path> file, Map<String, String> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        file.ifPresent(path -> values.putAll(readFile(path)));
        settings.forEach((key, value) -> {
            requireKnown(key);
            if (value != null) {
                values.put(key, value);
            }
        });
        return build(values);
    }

    static Map<String, String> readFile(Path path) {
        Object root = YamlFile.read("config", path).root();
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException("config", path + " must be a mapping of keys to values");
        }
        flatten("", map, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> into) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                if (ConfigKey.of(key).isPresent()) {
                    throw new ConfigException(key, "expected a single value, not a mapping");
                }
                flatten(key + ".", nested, into);
                continue;
            }
            requireKnown(key);
            if (value instanceof List<?>) {
                throw new ConfigException(key, "expected a single value, not a list");
            }
            if (value != null) {
                into.put(key, value.toString());
            }
        }
    }

    private static void requireKnown(String key) {
        if (ConfigKey.of(key).isEmpty()) {
            String hint = ConfigKey.closest(key).map(k -> " (did you mean '" + k.key() + "'?)").orElse("");
            throw new ConfigException(key, "unknown key" + hint);
        }
    }

    /** Keys naming files on the operator's machine: kept absolute, so `renew` finds them from anywhere. */
    private static final List<ConfigKey> FILE_KEYS = List.of(ConfigKey.SYNAPSE_EXTRA, ConfigKey.ACME_CA_CERTIFICATE,
            ConfigKey.FILES_CERTIFICATE, ConfigKey.FILES_KEY);

    private static InstallConfig build(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>(given);
        for (ConfigKey key : FILE_KEYS) {
            values.computeIfPresent(key.key(), (k, v) -> Path.of(v).toAbsolutePath().normalize().toString());
        }
        String domain = Rules.dnsName("domain", required(values, ConfigKey.DOMAIN));
        String serverName = Optional.ofNullable(values.get(ConfigKey.SERVER_NAME.key()))
                .map(v -> Rules.serverName("server_name", v))
                .orElse(domain);
        String email = Rules.email("email", required(values, ConfigKey.EMAIL));
        Path baseDir = Rules.absoluteDirectory("base_dir", value(values, ConfigKey.BASE_DIR));
        Path proxyDir = Rules.absoluteDirectory("proxy_dir", value(values, ConfigKey.PROXY_DIR));
        Path proxyDataDir = Rules.absoluteDirectory("proxy_data_dir", value(values, ConfigKey.PROXY_DATA_DIR));
        requireApart("proxy_dir", proxyDir, "base_dir", baseDir);
        requireApart("proxy_data_dir", proxyDataDir, "base_dir", baseDir);
        requireApart("proxy_data_dir", proxyDataDir, "proxy_dir", proxyDir);
        String brand = Rules.text("element.brand", value(values, ConfigKey.ELEMENT_BRAND), 100);
        InstallConfig.Images images = new InstallConfig.Images(
                image(values, ConfigKey.IMAGE_POSTGRES),
                image(values, ConfigKey.IMAGE_SYNAPSE),
                image(values, ConfigKey.IMAGE_ELEMENT),
                image(values, ConfigKey.IMAGE_PROXY),
                image(values, ConfigKey.IMAGE_NGINX));
        InstallConfig.Ports ports = ports(values);
        InstallConfig.Tls tls = TlsSettings.read(values);
        TlsSettings.checkOperatorCertificate(tls, domain);
        String matrixProject = Rules.projectName("compose.matrix_project", value(values, ConfigKey.MATRIX_PROJECT));
        String proxyProject = Rules.projectName("compose.proxy_project", value(values, ConfigKey.PROXY_PROJECT));
        if (matrixProject.equals(proxyProject)) {
            throw new ConfigException("compose.proxy_project", "must differ from compose.matrix_project");
        }
        InstallConfig.SynapseExtra extra = Optional.ofNullable(values.get(ConfigKey.SYNAPSE_EXTRA.key()))
                .map(path -> SynapseExtraConfig.read("synapse.extra_config", path))
                .orElse(InstallConfig.SynapseExtra.NONE);
        String schedule = value(values, ConfigKey.RENEWAL_SCHEDULE);
        if (!java.util.Set.of("auto", "systemd", "cron", "none").contains(schedule)) {
            throw new ConfigException("renewal.schedule", "must be one of auto, systemd, cron, none (got '" + schedule + "')");
        }
        InstallConfig.Renewal renewal = new InstallConfig.Renewal(schedule,
                Rules.absoluteDirectory("renewal.agent_dir", value(values, ConfigKey.RENEWAL_AGENT_DIR)),
                Rules.absoluteDirectory("renewal.systemd_dir", value(values, ConfigKey.RENEWAL_SYSTEMD_DIR)),
                Rules.absoluteDirectory("renewal.cron_dir", value(values, ConfigKey.RENEWAL_CRON_DIR)));
        return new InstallConfig(domain, serverName, email, baseDir, proxyDir, proxyDataDir, brand, images, ports, tls,
                new InstallConfig.Projects(matrixProject, proxyProject), extra, renewal, new java.util.TreeMap<>(values));
    }

    private static InstallConfig.Ports ports(Map<String, String> values) {
        List<ConfigKey> keys = List.of(ConfigKey.PORT_SYNAPSE, ConfigKey.PORT_ELEMENT, ConfigKey.PORT_HTTP,
                ConfigKey.PORT_HTTPS, ConfigKey.PORT_FEDERATION);
        Map<Integer, ConfigKey> seen = new LinkedHashMap<>();
        int[] ports = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            ConfigKey key = keys.get(i);
            ports[i] = Rules.port(key.key(), value(values, key));
            ConfigKey clash = seen.putIfAbsent(ports[i], key);
            if (clash != null) {
                throw new ConfigException(key.key(), ports[i] + " is already used by " + clash.key());
            }
        }
        return new InstallConfig.Ports(ports[0], ports[1], ports[2], ports[3], ports[4]);
    }

    private static void requireApart(String key, Path path, String otherKey, Path other) {
        if (path.startsWith(other) || other.startsWith(path)) {
            throw new ConfigException(key, "must not overlap " + otherKey + " (" + path + " and " + other + ")");
        }
    }

    private static String image(Map<String, String> values, ConfigKey key) {
        return Rules.image(key.key(), value(values, key));
    }

    private static String required(Map<String, String> values, ConfigKey key) {
        String value = values.get(key.key());
        if (value == null || value.isBlank()) {
            throw new ConfigException(key.key(), "required (" + key.help() + ")");
        }
        return value.trim();
    }

    static String value(Map<String, String> values, ConfigKey key) {
        String value = values.get(key.key());
        return value != null ? value.trim() : key.defaultValue().orElseThrow();
    }
}
