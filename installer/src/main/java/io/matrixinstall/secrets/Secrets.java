package io.matrixinstall.secrets;

import java.util.EnumMap;
import java.util.Map;

/** The secret values of one install, as templates see them. Never printed. */
public final class Secrets {
    private final Map<Secret, String> values;

    public Secrets(Map<Secret, String> values) {
        for (Secret secret : Secret.values()) {
            if (!values.containsKey(secret)) {
                throw new IllegalArgumentException("missing secret " + secret.fileName());
            }
        }
        this.values = new EnumMap<>(values);
    }

    public String get(Secret secret) {
        return values.get(secret);
    }

    /** Template model: file name to value, e.g. {@code secrets.postgres_password}. */
    public Map<String, String> byFileName() {
        Map<String, String> model = new java.util.LinkedHashMap<>();
        values.forEach((secret, value) -> model.put(secret.fileName(), value));
        return model;
    }

    @Override
    public String toString() {
        return "Secrets[hidden]";
    }
}
