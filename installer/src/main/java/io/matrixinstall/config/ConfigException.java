package io.matrixinstall.config;

/** Bad input from the operator: the message is one line that starts with the key at fault. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
