package io.matrixinstall.ops.checks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads the check definitions packaged from the top-level {@code healthchecks/} directory (see installer/pom.xml),
 * strictly: an unknown key, a missing one or an unknown probe is a defect of the product, caught by its tests.
 */
public final class HealthChecks {
    static final String DIRECTORY = "healthchecks";
    private static final Set<String> KEYS = Set.of("id", "title", "commands", "probe", "params", "fix");
    private static final Set<String> COMMANDS = Set.of("status", "doctor");

    private HealthChecks() {}

    /** Every definition, in file-name order (the files are numbered for the order an admin reads them). */
    public static List<HealthCheck> load() {
        URL url = HealthChecks.class.getClassLoader().getResource(DIRECTORY);
        if (url == null) {
            throw new IllegalStateException("no " + DIRECTORY + "/ in the agent's jar");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return loadAll(jar.getPath("/" + DIRECTORY));
                }
            }
            return loadAll(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read " + DIRECTORY + "/: " + e.getMessage(), e);
        }
    }

    public static List<HealthCheck> forCommand(String command) {
        return load().stream().filter(c -> c.runsIn(command)).toList();
    }

    private static List<HealthCheck> loadAll(Path directory) throws IOException {
        List<HealthCheck> checks = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    checks.add(parse(file.getFileName().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        return checks;
    }

    static HealthCheck parse(String name, String text) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalStateException(name + ": a check is a mapping");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new IllegalStateException(name + ": unknown key " + key);
            }
        }
        String id = text(name, map, "id");
        List<String> commands = new ArrayList<>();
        if (!(map.get("commands") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalStateException(name + ": commands must list status and/or doctor");
        }
        for (Object c : list) {
            if (!COMMANDS.contains(String.valueOf(c))) {
                throw new IllegalStateException(name + ": unknown command " + c);
            }
            commands.add(String.valueOf(c));
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (map.get("params") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        } else if (map.containsKey("params")) {
            throw new IllegalStateException(name + ": params must be a mapping");
        }
        String probe = text(name, map, "probe");
        if (!Probes.known(probe)) {
            throw new IllegalStateException(name + ": unknown probe " + probe);
        }
        return new HealthCheck(id, text(name, map, "title"), List.copyOf(commands), probe, Map.copyOf(params),
                text(name, map, "fix"));
    }

    private static String text(String name, Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalStateException(name + ": " + key + " is required text");
        }
        return s;
    }
}
