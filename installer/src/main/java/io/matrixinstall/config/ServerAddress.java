package io.matrixinstall.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Rules shared by the keys naming a server Synapse connects to (mail.smtp_host, ldap.uri) and their companions. */
final class ServerAddress {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private ServerAddress() {}

    /**
     * A DNS name or an IPv4 address. Loopback is refused: Synapse connects from inside its container, where
     * 127.0.0.1 is the container itself, not this machine.
     */
    static String host(String key, String value) {
        String host = value.toLowerCase(java.util.Locale.ROOT);
        if (host.equals("localhost") || host.startsWith("127.")) {
            throw new ConfigException(key, value + " is the Synapse container itself, not this machine; use an address"
                    + " the container reaches (e.g. the machine's address on the Docker bridge, 172.17.0.1)");
        }
        return IPV4.matcher(host).matches() ? host : Rules.dnsName(key, host);
    }

    /** Every key of a feature but its switch must be absent when the switch is unset. */
    static void requireAbsent(Map<String, String> values, List<ConfigKey> keys, ConfigKey enabling) {
        for (ConfigKey key : keys) {
            if (key != enabling && values.containsKey(key.key())) {
                throw new ConfigException(key.key(), "has no effect without " + enabling.key());
            }
        }
    }

    /** A login and its password file come together. */
    static void requireTogether(Map<String, String> values, ConfigKey login, ConfigKey passwordFile) {
        boolean hasLogin = values.containsKey(login.key());
        boolean hasPassword = values.containsKey(passwordFile.key());
        if (hasLogin != hasPassword) {
            ConfigKey missing = hasLogin ? passwordFile : login;
            throw new ConfigException(missing.key(), "required with " + (hasLogin ? login : passwordFile).key());
        }
    }
}
