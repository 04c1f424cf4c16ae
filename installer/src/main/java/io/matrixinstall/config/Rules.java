package io.matrixinstall.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The value rules of the configuration. Each returns the normalised value or throws naming the key. */
final class Rules {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern EMAIL_LOCAL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}");
    // name[:tag][@digest], lower-case repository path as Docker accepts it.
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

    private Rules() {}

    static String dnsName(String key, String value) {
        String name = value.toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String[] labels = name.split("\\.", -1);
        boolean ok = name.length() <= 253 && labels.length >= 2;
        for (String label : labels) {
            ok &= LABEL.matcher(label).matches();
        }
        if (!ok || Character.isDigit(labels[labels.length - 1].charAt(0))) {
            throw new ConfigException(key, "not a valid DNS name (got '" + value + "')");
        }
        return name;
    }

    /** A Matrix server name: a DNS name with an optional port (the spec allows both). */
    static String serverName(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            return dnsName(key, value);
        }
        String host = dnsName(key, value.substring(0, colon));
        return host + ":" + port(key, value.substring(colon + 1));
    }

    static String email(String key, String value) {
        int at = value.lastIndexOf('@');
        if (at <= 0 || !EMAIL_LOCAL.matcher(value.substring(0, at)).matches()) {
            throw new ConfigException(key, "not an e-mail address (got '" + value + "')");
        }
        try {
            return value.substring(0, at + 1) + dnsName(key, value.substring(at + 1));
        } catch (ConfigException e) {
            throw new ConfigException(key, "not an e-mail address (got '" + value + "')");
        }
    }

    static Path absoluteDirectory(String key, String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(key, "not a path (got '" + value + "')");
        }
        if (!value.startsWith("/")) {
            throw new ConfigException(key, "must be an absolute path (got '" + value + "')");
        }
        String normal = path.normalize().toString();
        if (!normal.equals(value)) {
            throw new ConfigException(key, "not a normalised path (got '" + value + "', did you mean '" + normal + "'?)");
        }
        if (path.getNameCount() == 0) {
            throw new ConfigException(key, "must not be the root directory");
        }
        return path;
    }

    static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "must be true or false (got '" + value + "')");
        };
    }

    static int port(String key, String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "not a port number (got '" + value + "')");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException(key, "port out of range 1-65535 (got " + port + ")");
        }
        return port;
    }

    static String image(String key, String value) {
        if (!IMAGE.matcher(value).matches()) {
            throw new ConfigException(key, "not a Docker image reference (got '" + value + "')");
        }
        return value;
    }

    static String text(String key, String value, int maxLength) {
        if (value.isBlank()) {
            throw new ConfigException(key, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw new ConfigException(key, "longer than " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(key, "must not contain control characters");
        }
        return value;
    }

    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    static String projectName(String key, String value) {
        if (!PROJECT.matcher(value).matches()) {
            throw new ConfigException(key, "not a Compose project name: lower-case letters, digits, '-' and '_' (got '"
                    + value + "')");
        }
        return value;
    }

    static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(value)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant);
        }
        throw new ConfigException(key, "must be one of " + allowed + " (got '" + value + "')");
    }
}
