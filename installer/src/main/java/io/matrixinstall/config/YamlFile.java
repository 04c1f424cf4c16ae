package io.matrixinstall.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An operator's YAML file, read strictly (safe types only, duplicate keys refused); problems become one
 * line naming the configuration key that pointed at the file.
 *
 * @param text the file as written
 * @param root the parsed document (null when empty)
 */
record YamlFile(String text, Object root) {

    /** Any file a configuration key names, as text; unreadable is one line naming the key. */
    static String readText(String key, Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    static YamlFile read(String key, Path path) {
        String text = readText(key, path);
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return new YamlFile(text, new Yaml(new SafeConstructor(options)).load(text));
        } catch (MarkedYAMLException e) {
            throw new ConfigException(key, path + " is not valid YAML at line " + (e.getProblemMark().getLine() + 1)
                    + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(key, path + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
