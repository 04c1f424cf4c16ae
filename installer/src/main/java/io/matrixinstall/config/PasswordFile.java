package io.matrixinstall.config;

import java.nio.file.Path;
import java.util.Map;

/** A password the operator keeps in a file (mail.smtp_password_file, ldap.bind_password_file): one line, read now. */
final class PasswordFile {
    private PasswordFile() {}

    /** The file's one line, without its line end; the messages name the key and the file, never the content. */
    static String read(Map<String, String> values, ConfigKey key) {
        String path = values.get(key.key());
        String text = ConfigLoader.readOperatorFile(key.key(), Path.of(path));
        String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (line.isEmpty()) {
            throw new ConfigException(key.key(), path + " is empty");
        }
        if (line.chars().anyMatch(ConfigException::isControl)) {
            throw new ConfigException(key.key(), path + " must hold the password in one line, without control characters");
        }
        if (line.length() > 1024) {
            throw new ConfigException(key.key(), path + " holds more than 1024 characters");
        }
        return line;
    }
}
