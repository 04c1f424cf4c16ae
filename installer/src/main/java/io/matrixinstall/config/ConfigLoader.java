package io.matrixinstall.config;

import io.matrixinstall.host.OperatorFile;
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

    /** A file a configuration key (or option) names, as text (size-capped); unreadable is one line naming the key. */
    public static String readOperatorFile(String key, Path path) {
        try {
            return OperatorFile.text(path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    public static InstallConfig load(Optional<Path> file, Map<String, String> settings) {
        return load(Map.of(), file, settings);
    }

    /**
     * {@code recorded} (the configuration an earlier `up` left on the host), then the file, then the flags:
     * each later source wins key by key.
     */
    public static InstallConfig load(Map<String, String> recorded, Optional<Path> file, Map<String, String> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        recorded.forEach((key, value) -> {
            requireKnown(key);
            values.put(key, value);
        });
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
        return flatten(path.toString(), YamlFile.readAsStrings("config", path).root());
    }

    /** Settings from YAML text read elsewhere (the recorded configuration, read through a Host). */
    public static Map<String, String> parseSettings(String origin, String text) {
        return flatten(origin, YamlFile.parseAsStrings("config", origin, text).root());
    }

    private static Map<String, String> flatten(String path, Object root) {
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
            if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                // An explicit tag (!!binary, !!set, !!timestamp) would reach the settings as Java's toString().
                String type = value instanceof java.util.Date ? "timestamp" : value instanceof byte[] ? "binary"
                        : value instanceof java.util.Set<?> ? "set" : value.getClass().getSimpleName();
                throw new ConfigException(key, "expected a single value, not a YAML " + type);
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
            ConfigKey.FILES_CERTIFICATE, ConfigKey.FILES_KEY, ConfigKey.MAIL_SMTP_PASSWORD_FILE,
            ConfigKey.LDAP_BIND_PASSWORD_FILE, ConfigKey.ELEMENT_WELCOME_PAGE, ConfigKey.ELEMENT_LOGO,
            ConfigKey.FEDERATION_CA_CERTIFICATE);

    private static InstallConfig build(Map<String, String> given) {
        // Every value ends up in a file the product renders or a command it runs: none may break a line there.
        given.forEach((key, value) -> {
            if (value.chars().anyMatch(ConfigException::isControl)) {
                throw new ConfigException(key, "must not contain control characters (got '" + value + "')");
            }
        });
        Map<String, String> values = new LinkedHashMap<>(given);
        for (ConfigKey key : FILE_KEYS) {
            values.computeIfPresent(key.key(), (k, v) -> Path.of(v).toAbsolutePath().normalize().toString());
        }
        String domain = Rules.dnsName("domain", required(values, ConfigKey.DOMAIN));
        String serverName = Optional.ofNullable(values.get(ConfigKey.SERVER_NAME.key()))
                .map(v -> Rules.serverName("server_name", v.trim()))
                .orElse(domain);
        String email = Rules.email("email", required(values, ConfigKey.EMAIL));
        Map<ConfigKey, Path> directories = directories(values);
        Path baseDir = directories.get(ConfigKey.BASE_DIR);
        Path proxyDir = directories.get(ConfigKey.PROXY_DIR);
        Path proxyDataDir = directories.get(ConfigKey.PROXY_DATA_DIR);
        String brand = Rules.text("element.brand", value(values, ConfigKey.ELEMENT_BRAND), 100);
        InstallConfig.Images images = new InstallConfig.Images(
                postgresImage(values),
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
        // Checked now, so a bad value stops the run before the host is touched; the plan reads them again from settings.
        MailSettings.read(values).ifPresent(mail -> requireUnset(extra, "email", ConfigKey.MAIL_SMTP_HOST));
        LdapSettings.read(values).ifPresent(ldap -> requireUnset(extra, "modules", ConfigKey.LDAP_URI));
        String schedule = value(values, ConfigKey.RENEWAL_SCHEDULE);
        if (!java.util.Set.of("auto", "systemd", "cron", "none").contains(schedule)) {
            throw new ConfigException("renewal.schedule", "must be one of auto, systemd, cron, none (got '" + schedule + "')");
        }
        if (!java.util.Set.of("daily", "off").contains(value(values, ConfigKey.REFRESH_SCHEDULE))) {
            throw new ConfigException("refresh.schedule", "must be daily or off (got '" + value(values, ConfigKey.REFRESH_SCHEDULE) + "')");
        }
        InstallConfig.Renewal renewal = new InstallConfig.Renewal(schedule, directories.get(ConfigKey.RENEWAL_AGENT_DIR),
                directories.get(ConfigKey.RENEWAL_SYSTEMD_DIR), directories.get(ConfigKey.RENEWAL_CRON_DIR));
        RegistrationMode registration = RegistrationMode.read(values, extra);
        InstallConfig.Federation federation = FederationSettings.read(values, serverName, extra);
        return new InstallConfig(domain, serverName, email, baseDir, proxyDir, proxyDataDir, brand, images, ports, tls,
                new InstallConfig.Projects(matrixProject, proxyProject), extra, renewal, registration, Branding.read(values),
                federation, new java.util.TreeMap<>(values));
    }

    /** A section the product renders for {@code key} cannot also come from synapse.extra_config. */
    private static void requireUnset(InstallConfig.SynapseExtra extra, String section, ConfigKey key) {
        if (extra.keys().contains(section)) {
            throw new ConfigException(key.key(), "synapse.extra_config also sets '" + section + "'; set it in one place");
        }
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

    /**
     * Every directory key, checked alone (see {@link Rules#managedDirectory}) and against the others: no two may
     * be the same or one inside the other (e.g. proxy_data_dir in base_dir's secrets, or the agent's jar in
     * base_dir/files, which the Synapse container's user can write). The later key is named.
     */
    private static Map<ConfigKey, Path> directories(Map<String, String> values) {
        Map<ConfigKey, Path> paths = new LinkedHashMap<>();
        for (ConfigKey key : List.of(ConfigKey.BASE_DIR, ConfigKey.PROXY_DIR, ConfigKey.PROXY_DATA_DIR,
                ConfigKey.RENEWAL_AGENT_DIR)) {
            paths.put(key, Rules.managedDirectory(key.key(), value(values, key), key.defaultValue().orElseThrow()));
        }
        paths.put(ConfigKey.RENEWAL_SYSTEMD_DIR, Rules.dropInDirectory(ConfigKey.RENEWAL_SYSTEMD_DIR.key(),
                value(values, ConfigKey.RENEWAL_SYSTEMD_DIR), "systemd", ConfigKey.RENEWAL_SYSTEMD_DIR.defaultValue().orElseThrow()));
        paths.put(ConfigKey.RENEWAL_CRON_DIR, Rules.dropInDirectory(ConfigKey.RENEWAL_CRON_DIR.key(),
                value(values, ConfigKey.RENEWAL_CRON_DIR), "cron", ConfigKey.RENEWAL_CRON_DIR.defaultValue().orElseThrow()));
        List<ConfigKey> keys = List.copyOf(paths.keySet());
        for (int i = 1; i < keys.size(); i++) {
            for (int j = 0; j < i; j++) {
                boolean dropIns = keys.get(j) == ConfigKey.RENEWAL_SYSTEMD_DIR; // systemd and cron may share one
                if (!dropIns) {
                    requireApart(keys.get(i).key(), paths.get(keys.get(i)), keys.get(j).key(), paths.get(keys.get(j)));
                }
            }
        }
        return paths;
    }

    private static void requireApart(String key, Path path, String otherKey, Path other) {
        if (path.startsWith(other) || other.startsWith(path)) {
            throw new ConfigException(key, "must not overlap " + otherKey + " (" + path + " and " + other + ")");
        }
    }

    /** The configured image, else the official one of postgres.version (the major is data, see `db upgrade`). */
    private static String postgresImage(Map<String, String> values) {
        String version = value(values, ConfigKey.POSTGRES_VERSION);
        if (!InstallConfig.POSTGRES_VERSIONS.contains(version)) {
            throw new ConfigException(ConfigKey.POSTGRES_VERSION.key(), "must be one of "
                    + String.join(", ", InstallConfig.POSTGRES_VERSIONS) + " (got '" + version + "')");
        }
        return values.containsKey(ConfigKey.IMAGE_POSTGRES.key()) ? image(values, ConfigKey.IMAGE_POSTGRES)
                : Rules.image(ConfigKey.IMAGE_POSTGRES.key(), "postgres:" + version + "-alpine");
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
