package io.matrixinstall.provision;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An ordered list of actions read from a {@code provisioning/*.yaml} file packaged in the jar. The files ship
 * with the agent, so a malformed one is a build defect: named precisely, and caught by the unit tests.
 */
public record Recipe(List<RecipeAction> actions) {

    public Recipe {
        actions = List.copyOf(actions);
    }

    /** The packages the recipe installs, in order (for a plan line that names them). */
    public List<String> packages() {
        return actions.stream().filter(InstallPackages.class::isInstance)
                .flatMap(action -> ((InstallPackages) action).packages().stream()).toList();
    }

    /** Loads a packaged recipe file, e.g. {@code provisioning/docker.yaml}. */
    static Map<?, ?> load(String resource) {
        try (InputStream in = Recipe.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            if (new Yaml(new SafeConstructor(new LoaderOptions())).load(in) instanceof Map<?, ?> map) {
                return map;
            }
            throw new IllegalStateException(resource + " is not a mapping");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** A list of actions at {@code where} (for messages: "provisioning/docker.yaml: install.debian.distro.engine"). */
    static Recipe parse(String where, Object value) {
        if (!(value instanceof List<?> items) || items.isEmpty()) {
            throw defect(where, "is not a list of actions");
        }
        List<RecipeAction> actions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            actions.add(action(where + "[" + i + "]", items.get(i)));
        }
        return new Recipe(actions);
    }

    private static RecipeAction action(String where, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw defect(where, "is not an action (a mapping)");
        }
        if (map.containsKey("packages")) {
            only(where, map, Set.of("packages", "from"));
            return new InstallPackages(names(where + ".packages", map.get("packages")),
                    Optional.ofNullable(map.get("from")).map(from -> text(where + ".from", from)));
        }
        if (map.containsKey("download")) {
            only(where, map, Set.of("download", "to"));
            return new DownloadFile(text(where + ".download", map.get("download")), path(where + ".to", map.get("to")));
        }
        if (map.containsKey("template")) {
            only(where, map, Set.of("template", "to", "with", "when"));
            Map<String, String> with = new LinkedHashMap<>();
            if (map.get("with") instanceof Map<?, ?> values) {
                values.forEach((k, v) -> with.put(text(where + ".with", k), text(where + ".with." + k, v)));
            } else if (map.containsKey("with")) {
                throw defect(where + ".with", "is not a mapping");
            }
            Object when = map.get("when");
            if (when != null && !"absent".equals(when)) {
                throw defect(where + ".when", "must be absent (or left out)");
            }
            return new TemplateFile(text(where + ".template", map.get("template")), path(where + ".to", map.get("to")),
                    with, when != null);
        }
        if (map.containsKey("start")) {
            only(where, map, Set.of("start"));
            if (!"docker".equals(map.get("start"))) {
                throw defect(where + ".start", "must be docker (the only service a recipe starts)");
            }
            return new StartService("docker");
        }
        throw defect(where, "names no known action (packages, download, template, start)");
    }

    private static void only(String where, Map<?, ?> map, Set<String> keys) {
        map.keySet().stream().filter(key -> !keys.contains(key)).findFirst()
                .ifPresent(key -> { throw defect(where + "." + key, "is not a key of this action"); });
    }

    static String text(String where, Object value) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw defect(where, "is not a string");
    }

    static Path path(String where, Object value) {
        Path path = Path.of(text(where, value));
        if (!path.isAbsolute() || !path.normalize().equals(path)) {
            throw defect(where, "is not an absolute, normalised path");
        }
        return path;
    }

    private static List<String> names(String where, Object value) {
        if (value instanceof List<?> values && !values.isEmpty() && values.stream().allMatch(
                v -> v instanceof String name && name.matches("[a-z0-9][a-z0-9+.-]*"))) {
            return values.stream().map(String.class::cast).toList();
        }
        throw defect(where, "is not a list of package names");
    }

    static IllegalStateException defect(String where, String what) {
        return new IllegalStateException(where + " " + what);
    }
}
