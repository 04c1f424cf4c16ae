package io.matrixinstall.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The parsed /etc/os-release of a host (ID, VERSION_CODENAME, PRETTY_NAME, ...). */
public record OsRelease(Map<String, String> fields) {

    public static OsRelease parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 1) {
                continue;
            }
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))
                    && value.endsWith(value.substring(0, 1))) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            fields.put(line.substring(0, eq).trim(), value);
        }
        return new OsRelease(Map.copyOf(fields));
    }

    public String id() {
        return fields.getOrDefault("ID", "linux");
    }

    public Optional<String> codename() {
        return Optional.ofNullable(fields.get("VERSION_CODENAME")).filter(s -> !s.isBlank());
    }

    public String prettyName() {
        return fields.getOrDefault("PRETTY_NAME", id());
    }
}
