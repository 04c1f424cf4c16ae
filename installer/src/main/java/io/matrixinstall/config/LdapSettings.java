package io.matrixinstall.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks the {@code ldap.*} keys: directory sign-in is on when {@code ldap.uri} is set. */
public final class LdapSettings {
    static final List<ConfigKey> KEYS = List.of(ConfigKey.LDAP_URI, ConfigKey.LDAP_BASE, ConfigKey.LDAP_BIND_DN,
            ConfigKey.LDAP_BIND_PASSWORD_FILE, ConfigKey.LDAP_FILTER, ConfigKey.LDAP_ATTRIBUTES);
    private static final List<String> ATTRIBUTE_ROLES = List.of("uid", "name", "mail");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}");
    // A DN of attr=value parts; values without characters that need escaping, which keeps it simple to check.
    private static final Pattern DN = Pattern.compile("[A-Za-z][A-Za-z0-9-]*=[^,=+<>#;\\\\\"]+(,[A-Za-z][A-Za-z0-9-]*=[^,=+<>#;\\\\\"]+)*");

    private LdapSettings() {}

    /**
     * The directory settings.
     *
     * @param bindDn       "" when users bind as themselves
     * @param bindPassword the bind DN's password ("" for none): never printed, rendered only into its own file
     * @param filter       "" for none
     * @param attributes   uid, name and mail to the directory's attribute names
     */
    public record Ldap(String uri, String base, String bindDn, String bindPassword, String filter,
            Map<String, String> attributes) {
        public boolean searches() {
            return !bindDn.isEmpty();
        }

        @Override
        public String toString() {
            return "Ldap[" + uri + ", " + base + "]"; // never the password
        }
    }

    /** Directory sign-in as the configuration sets it; empty when off. */
    public static Optional<Ldap> of(InstallConfig config) {
        return read(config.settings());
    }

    static Optional<Ldap> read(Map<String, String> values) {
        if (!values.containsKey(ConfigKey.LDAP_URI.key())) {
            ServerAddress.requireAbsent(values, KEYS, ConfigKey.LDAP_URI);
            return Optional.empty();
        }
        String uri = uri(values.get(ConfigKey.LDAP_URI.key()).trim());
        String base = values.get(ConfigKey.LDAP_BASE.key());
        if (base == null || base.isBlank()) {
            throw new ConfigException(ConfigKey.LDAP_BASE.key(), "required with ldap.uri (" + ConfigKey.LDAP_BASE.help() + ")");
        }
        base = dn(ConfigKey.LDAP_BASE, base.trim());
        ServerAddress.requireTogether(values, ConfigKey.LDAP_BIND_DN, ConfigKey.LDAP_BIND_PASSWORD_FILE);
        String bindDn = Optional.ofNullable(values.get(ConfigKey.LDAP_BIND_DN.key())).map(v -> dn(ConfigKey.LDAP_BIND_DN, v.trim()))
                .orElse("");
        String password = bindDn.isEmpty() ? "" : PasswordFile.read(values, ConfigKey.LDAP_BIND_PASSWORD_FILE);
        String filter = Optional.ofNullable(values.get(ConfigKey.LDAP_FILTER.key())).map(String::trim).orElse("");
        if (!filter.isEmpty()) {
            if (bindDn.isEmpty()) {
                throw new ConfigException(ConfigKey.LDAP_FILTER.key(), "needs ldap.bind_dn (a filter applies to searches)");
            }
            if (!filter.startsWith("(") || !filter.endsWith(")") || !balanced(filter)) {
                throw new ConfigException(ConfigKey.LDAP_FILTER.key(), "not one parenthesised LDAP filter (got '" + filter + "')");
            }
        }
        return Optional.of(new Ldap(uri, base, bindDn, password, filter,
                attributes(ConfigLoader.value(values, ConfigKey.LDAP_ATTRIBUTES))));
    }

    private static String uri(String value) {
        String key = ConfigKey.LDAP_URI.key();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "not a URI (got '" + value + "')");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
            throw new ConfigException(key, "must start with ldap:// or ldaps:// (got '" + value + "')");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new ConfigException(key, "expected ldap[s]://HOST[:PORT] only (got '" + value + "')");
        }
        String host = ServerAddress.host(key, uri.getHost());
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + Rules.port(key, String.valueOf(uri.getPort())));
    }

    private static String dn(ConfigKey key, String value) {
        if (!DN.matcher(value).matches()) {
            throw new ConfigException(key.key(), "not a distinguished name like ou=people,dc=example,dc=org (got '" + value + "')");
        }
        return value;
    }

    private static boolean balanced(String filter) {
        int depth = 0;
        for (char c : filter.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static Map<String, String> attributes(String value) {
        String key = ConfigKey.LDAP_ATTRIBUTES.key();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : value.split(",", -1)) {
            String[] pair = part.trim().split("=", -1);
            if (pair.length != 2 || !ATTRIBUTE_ROLES.contains(pair[0].trim()) || !ATTRIBUTE.matcher(pair[1].trim()).matches()
                    || attributes.put(pair[0].trim(), pair[1].trim()) != null) {
                throw new ConfigException(key, "expected uid=ATTR,name=ATTR,mail=ATTR (got '" + value + "')");
            }
        }
        if (attributes.size() != ATTRIBUTE_ROLES.size()) {
            throw new ConfigException(key, "expected uid=ATTR,name=ATTR,mail=ATTR, all three (got '" + value + "')");
        }
        return Map.copyOf(attributes);
    }
}
