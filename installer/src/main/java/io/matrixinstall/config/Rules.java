package io.matrixinstall.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The value rules of the configuration. Each returns the normalised value or throws naming the key. */
final class Rules {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    // The address goes into a Compose file (where '$' interpolates) and a mailto: URI (where '?', '%' and '#'
    // mean something): the usual dot-atoms only, which every real mailbox of an operator fits.
    private static final Pattern EMAIL_LOCAL = Pattern.compile("(?=.{1,64}$)[A-Za-z0-9_+-]+(\\.[A-Za-z0-9_+-]+)*");
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

    /**
     * Directories the product creates and owns (it sets their owner and mode): no system directory itself,
     * nothing inside a file system that does not keep files. {@code example} is the key's default.
     */
    static Path managedDirectory(String key, String value, String example) {
        Path path = directoryPath(key, value);
        if (SYSTEM_DIRECTORIES.contains(value) || LIB.matcher(value).matches()) {
            throw new ConfigException(key, value + " is a system directory; choose a directory of its own such as "
                    + example);
        }
        return path;
    }

    /**
     * Directories a system program reads, where the product only adds its own file (systemd units, cron
     * entries): the one the key is for, or one of the operator's, but no other system directory.
     */
    static Path dropInDirectory(String key, String value, String reader, String example) {
        Path path = directoryPath(key, value);
        if (!value.equals(example) && (SYSTEM_DIRECTORIES.contains(value) || LIB.matcher(value).matches())) {
            throw new ConfigException(key, value + " is a system directory; name the directory " + reader
                    + " reads, such as " + example);
        }
        return path;
    }

    /** What every directory key must be: an absolute, normalised path of plain characters. */
    private static Path directoryPath(String key, String value) {
        if (value.chars().anyMatch(ConfigException::isControl)) {
            throw new ConfigException(key, "must not contain control characters (got '" + value + "')");
        }
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(key, "must not contain spaces (got '" + value + "')");
        }
        if (!value.startsWith("/")) {
            throw new ConfigException(key, "must be an absolute path (got '" + value + "')");
        }
        // Compose (':' splits a volume, '$' interpolates), nginx and YAML would each need their own quoting.
        if (!PATH_CHARACTERS.matcher(value).matches()) {
            throw new ConfigException(key, "may contain only letters, digits, '/', '.', '_', '-', '+' and '@' (got '"
                    + value + "')");
        }
        Path path = Path.of(value);
        String normal = path.normalize().toString();
        if (!normal.equals(value)) {
            throw new ConfigException(key, "not a normalised path (got '" + value + "', did you mean '" + normal + "'?)");
        }
        for (String volatileRoot : VOLATILE_ROOTS) {
            if (path.startsWith(volatileRoot) && !value.equals(volatileRoot)) {
                throw new ConfigException(key, value + " is inside " + volatileRoot
                        + ", which does not keep files; choose a directory such as " + ConfigKey.of(key)
                        .flatMap(ConfigKey::defaultValue).orElse("/data/matrix"));
            }
        }
        return path;
    }

    private static final Pattern PATH_CHARACTERS = Pattern.compile("[A-Za-z0-9/._+@-]+");
    private static final Pattern LIB = Pattern.compile("/(usr/)?lib[^/]*");
    /** Kernel and memory file systems: nothing written there lasts (or can be written at all). */
    private static final java.util.List<String> VOLATILE_ROOTS = java.util.List.of("/proc", "/sys", "/dev", "/run");
    /**
     * Directories of the system itself (FHS and Debian's usual ones). Their owner, mode or content is not the
     * product's to change; a directory of the product's own below them (/root/nginx, /usr/local/lib/x) is fine.
     */
    static final java.util.Set<String> SYSTEM_DIRECTORIES = java.util.Set.of(
            "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lost+found", "/media", "/mnt", "/opt", "/proc",
            "/root", "/run", "/sbin", "/snap", "/srv", "/sys", "/tmp", "/usr", "/var",
            "/usr/bin", "/usr/sbin", "/usr/include", "/usr/libexec", "/usr/share", "/usr/src", "/usr/games",
            "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/etc",
            "/usr/local/include", "/usr/local/share", "/usr/local/src", "/usr/local/games", "/usr/local/man",
            "/var/lib", "/var/tmp", "/var/log", "/var/cache", "/var/spool", "/var/run", "/var/lock", "/var/mail",
            "/var/opt", "/var/backups", "/var/local", "/var/www", "/var/lib/docker",
            "/etc/cron.d", "/etc/cron.daily", "/etc/cron.hourly", "/etc/cron.weekly", "/etc/cron.monthly",
            "/etc/systemd", "/etc/systemd/system", "/etc/default", "/etc/init.d", "/etc/ssl", "/etc/ssh",
            "/etc/apt", "/etc/docker", "/etc/nginx", "/etc/letsencrypt", "/etc/sudoers.d", "/etc/security",
            "/root/.ssh");

    static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "must be true or false (got '" + value + "')");
        };
    }

    static int port(String key, String value) {
        if (!value.trim().matches("[0-9]{1,5}")) { // parseInt alone would take "+80"
            throw new ConfigException(key, "not a port number (got '" + value + "')");
        }
        int port = Integer.parseInt(value.trim());
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
