package io.matrixinstall.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The TURN server's settings ({@code turn.*}, {@code images.coturn}), read from the flat settings and checked before
 * anything touches the host. Off by default.
 *
 * @param externalIp    the public IPv4 address clients and peers reach the relay at; empty: detected on the host
 * @param relayMinPort  first UDP port of the relay range
 * @param relayMaxPort  last UDP port of the relay range
 * @param userLifetime  how long the credentials Synapse hands out stay valid, in Synapse's duration syntax
 */
public record TurnSettings(boolean enabled, Optional<String> externalIp, int port, int tlsPort, int relayMinPort,
        int relayMaxPort, String userLifetime, String image) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern DURATION = Pattern.compile("[1-9][0-9]{0,6}(ms|s|m|h|d|w|y)?");

    /** The settings of a loaded configuration. */
    public static TurnSettings of(InstallConfig config) {
        return read(config.settings());
    }

    static TurnSettings read(Map<String, String> values) {
        boolean enabled = Rules.bool(ConfigKey.TURN_ENABLED.key(), ConfigLoader.value(values, ConfigKey.TURN_ENABLED));
        Optional<String> externalIp = Optional.ofNullable(values.get(ConfigKey.TURN_EXTERNAL_IP.key())).map(String::trim)
                .map(ip -> externalIp(ConfigKey.TURN_EXTERNAL_IP.key(), ip));
        int port = Rules.port(ConfigKey.TURN_PORT.key(), ConfigLoader.value(values, ConfigKey.TURN_PORT));
        int tlsPort = Rules.port(ConfigKey.TURN_TLS_PORT.key(), ConfigLoader.value(values, ConfigKey.TURN_TLS_PORT));
        int min = Rules.port(ConfigKey.TURN_RELAY_MIN_PORT.key(), ConfigLoader.value(values, ConfigKey.TURN_RELAY_MIN_PORT));
        int max = Rules.port(ConfigKey.TURN_RELAY_MAX_PORT.key(), ConfigLoader.value(values, ConfigKey.TURN_RELAY_MAX_PORT));
        if (max < min) {
            throw new ConfigException(ConfigKey.TURN_RELAY_MAX_PORT.key(), "must not be below turn.relay_min_port (" + min + ")");
        }
        if (port == tlsPort) {
            throw new ConfigException(ConfigKey.TURN_TLS_PORT.key(), port + " is already used by turn.port");
        }
        for (int listener : List.of(port, tlsPort)) {
            if (listener >= min && listener <= max) {
                throw new ConfigException(ConfigKey.TURN_RELAY_MIN_PORT.key(), "the relay range " + min + "-" + max
                        + " must not contain the listening port " + listener);
            }
        }
        String lifetime = ConfigLoader.value(values, ConfigKey.TURN_USER_LIFETIME);
        if (!DURATION.matcher(lifetime).matches()) {
            throw new ConfigException(ConfigKey.TURN_USER_LIFETIME.key(), "not a duration such as 1h, 30m or 86400s (got '"
                    + lifetime + "')");
        }
        String image = Rules.image(ConfigKey.IMAGE_COTURN.key(), ConfigLoader.value(values, ConfigKey.IMAGE_COTURN));
        return new TurnSettings(enabled, externalIp, port, tlsPort, min, max, lifetime, image);
    }

    /**
     * A public IPv4 address: coturn hands it to clients as their relay address, so a loopback, private or link-local
     * one would only ever work inside this host's own networks (and is denied as a peer anyway).
     */
    public static String externalIp(String origin, String value) {
        if (!IPV4.matcher(value).matches()) {
            throw new ConfigException(origin, "not an IPv4 address (got '" + value + "')");
        }
        return value;
    }

    /** The ports clients connect to, each with its protocols, as the firewall notes and preflight name them. */
    public List<String> listeners(boolean tls) {
        return tls ? List.of(port + "/udp", port + "/tcp", tlsPort + "/tcp") : List.of(port + "/udp", port + "/tcp");
    }

    /** The relay range as the firewall notes name it, e.g. {@code 49160-49200/udp}. */
    public String relayRange() {
        return relayMinPort + "-" + relayMaxPort + "/udp";
    }
}
