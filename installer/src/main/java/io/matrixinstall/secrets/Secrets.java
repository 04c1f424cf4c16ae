package io.matrixinstall.secrets;

import java.util.EnumMap;
import java.util.Map;

/** The secret values of one install (those of its enabled components), as templates see them. Never printed. */
public final class Secrets {
    private final Map<Secret, String> values;
    /** Values a component's step found on the host for its templates (its own secret, a detected address), by model key. */
    private final Map<String, Map<String, Object>> componentValues;

    public Secrets(Map<Secret, String> values) {
        this(values, Map.of());
    }

    private Secrets(Map<Secret, String> values, Map<String, Map<String, Object>> componentValues) {
        for (Secret secret : Secret.values()) {
            if (!secret.optional() && !values.containsKey(secret)) {
                throw new IllegalArgumentException("missing secret " + secret.fileName());
            }
        }
        this.values = new EnumMap<>(values);
        this.componentValues = Map.copyOf(componentValues);
    }

    /** These secrets with a component's values for the templates' map {@code key} (a new instance: files render again). */
    public Secrets withComponentValues(String key, Map<String, Object> found) {
        Map<String, Map<String, Object>> all = new java.util.LinkedHashMap<>(componentValues);
        all.put(key, Map.copyOf(found));
        return new Secrets(values, all);
    }

    public Map<String, Map<String, Object>> componentValues() {
        return componentValues;
    }

    /** The value; an optional secret's only while its component is on. */
    public String get(Secret secret) {
        String value = values.get(secret);
        if (value == null) {
            throw new IllegalStateException("no " + secret.fileName() + ": its component is off");
        }
        return value;
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
