package io.matrixinstall.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks the {@code mail.*} keys: e-mail is on when {@code mail.smtp_host} is set. */
public final class MailSettings {
    static final List<ConfigKey> KEYS = List.of(ConfigKey.MAIL_SMTP_HOST, ConfigKey.MAIL_SMTP_PORT, ConfigKey.MAIL_SMTP_USER,
            ConfigKey.MAIL_SMTP_PASSWORD_FILE, ConfigKey.MAIL_FROM, ConfigKey.MAIL_TLS);
    // "Name <address>" or a bare address; the name without characters that would need quoting in a header.
    private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9 ._'-]{1,64}) <([^<>\\s]+)>");

    private MailSettings() {}

    /** How the SMTP connection is secured, with the port each uses by default. */
    public enum MailTls {
        STARTTLS("starttls", 587), TLS("tls", 465), NONE("none", 25);

        private final String key;
        private final int defaultPort;

        MailTls(String key, int defaultPort) {
            this.key = key;
            this.defaultPort = defaultPort;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /**
     * The e-mail settings.
     *
     * @param user     SMTP login ("" for none)
     * @param password SMTP password ("" for none): never printed
     * @param from     Synapse's {@code notif_from}
     */
    public record Mail(String host, int port, String user, String password, String from, MailTls tls) {
        public boolean login() {
            return !user.isEmpty();
        }

        @Override
        public String toString() {
            return "Mail[" + host + ":" + port + ", " + tls + "]"; // never the password
        }
    }

    /** E-mail as the configuration sets it; empty when off. */
    public static Optional<Mail> of(InstallConfig config) {
        return read(config.settings());
    }

    static Optional<Mail> read(Map<String, String> values) {
        if (!values.containsKey(ConfigKey.MAIL_SMTP_HOST.key())) {
            ServerAddress.requireAbsent(values, KEYS, ConfigKey.MAIL_SMTP_HOST);
            return Optional.empty();
        }
        String host = ServerAddress.host(ConfigKey.MAIL_SMTP_HOST.key(), values.get(ConfigKey.MAIL_SMTP_HOST.key()).trim());
        MailTls tls = Rules.choice(ConfigKey.MAIL_TLS.key(), ConfigLoader.value(values, ConfigKey.MAIL_TLS), MailTls.class);
        int port = Optional.ofNullable(values.get(ConfigKey.MAIL_SMTP_PORT.key()))
                .map(p -> Rules.port(ConfigKey.MAIL_SMTP_PORT.key(), p)).orElse(tls.defaultPort);
        ServerAddress.requireTogether(values, ConfigKey.MAIL_SMTP_USER, ConfigKey.MAIL_SMTP_PASSWORD_FILE);
        String user = Optional.ofNullable(values.get(ConfigKey.MAIL_SMTP_USER.key()))
                .map(u -> Rules.text(ConfigKey.MAIL_SMTP_USER.key(), u.trim(), 256)).orElse("");
        String password = user.isEmpty() ? "" : PasswordFile.read(values, ConfigKey.MAIL_SMTP_PASSWORD_FILE);
        String from = values.get(ConfigKey.MAIL_FROM.key());
        if (from == null || from.isBlank()) {
            throw new ConfigException(ConfigKey.MAIL_FROM.key(), "required with mail.smtp_host (" + ConfigKey.MAIL_FROM.help() + ")");
        }
        return Optional.of(new Mail(host, port, user, password, from(from.trim()), tls));
    }

    private static String from(String value) {
        String key = ConfigKey.MAIL_FROM.key();
        Matcher named = NAMED.matcher(value);
        if (named.matches()) {
            return named.group(1).trim() + " <" + Rules.email(key, named.group(2)) + ">";
        }
        if (value.contains("<") || value.contains(">")) {
            throw new ConfigException(key, "expected 'address' or 'Name <address>' (got '" + value + "')");
        }
        return Rules.email(key, value);
    }
}
