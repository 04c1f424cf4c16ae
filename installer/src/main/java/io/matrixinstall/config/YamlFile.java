package io.matrixinstall.config;

import java.nio.file.Path;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * An operator's YAML file, read strictly (safe types only, duplicate keys refused); problems become one
 * line naming the configuration key that pointed at the file.
 *
 * @param text the file as written
 * @param root the parsed document (null when empty)
 */
record YamlFile(String text, Object root) {

    /** Any file a configuration key names, as text (size-capped); unreadable is one line naming the key. */
    static String readText(String key, Path path) {
        return ConfigLoader.readOperatorFile(key, path);
    }

    /** A YAML document with its scalars typed as YAML 1.1 says (Synapse's settings). */
    static YamlFile read(String key, Path path) {
        return read(key, path, new Resolver());
    }

    /**
     * matrix-install's own configuration: every scalar as written ({@code brand: no} is "no", not false, and
     * {@code brand: 2024-01-01} no date), so a value means the same in the file as on the command line.
     */
    static YamlFile readAsStrings(String key, Path path) {
        return parse(key, path.toString(), readText(key, path), stringsOnly());
    }

    /** The same, for text read elsewhere (the recorded configuration, read through a Host). */
    static YamlFile parseAsStrings(String key, String origin, String text) {
        return parse(key, origin, text, stringsOnly());
    }

    private static Resolver stringsOnly() {
        return new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            }
        };
    }

    private static YamlFile read(String key, Path path, Resolver resolver) {
        return parse(key, path.toString(), readText(key, path), resolver);
    }

    private static YamlFile parse(String key, String path, String text, Resolver resolver) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            DumperOptions dumper = new DumperOptions();
            return new YamlFile(text, new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options,
                    resolver).load(text));
        } catch (MarkedYAMLException e) {
            throw new ConfigException(key, path + " is not valid YAML at line " + (e.getProblemMark().getLine() + 1)
                    + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(key, path + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
