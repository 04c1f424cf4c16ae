package io.matrixinstall.plan.steps;

import io.matrixinstall.plan.RunOptions.DockerSource;
import io.matrixinstall.plan.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One distribution's entry of {@code provisioning/docker.yaml}: Docker's apt repository for it and the
 * packages each source installs. Kept as a readable recipe beside the templates, not in code.
 */
record DockerRecipe(String distribution, String repository, Map<DockerSource, List<String>> engine,
        Map<DockerSource, List<String>> compose) {

    static final String RESOURCE = "/provisioning/docker.yaml";

    static DockerRecipe forDistribution(String id) {
        Map<?, ?> all = load();
        if (!(all.get(id) instanceof Map<?, ?> entry)) {
            throw new StepFailedException(RESOURCE.substring(1) + " has no recipe for distribution '" + id + "'");
        }
        Map<?, ?> docker = section(id, entry, "docker");
        Map<?, ?> distro = section(id, entry, "distro");
        return new DockerRecipe(id, text(id + ".docker", docker, "repository"),
                Map.of(DockerSource.DOCKER, list(id + ".docker", docker, "engine"),
                        DockerSource.DISTRO, list(id + ".distro", distro, "engine")),
                Map.of(DockerSource.DOCKER, list(id + ".docker", docker, "compose"),
                        DockerSource.DISTRO, list(id + ".distro", distro, "compose")));
    }

    /** What to install from {@code source}: everything, or Compose alone when an engine is installed already. */
    List<String> packages(DockerSource source, boolean engineInstalled) {
        return (engineInstalled ? compose : engine).get(source);
    }

    private static Map<?, ?> load() {
        try (InputStream in = DockerRecipe.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    // The recipe ships inside the jar: a malformed one is a build defect, named precisely.
    private static Map<?, ?> section(String id, Map<?, ?> entry, String key) {
        if (entry.get(key) instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalStateException(RESOURCE + ": " + id + "." + key + " is not a mapping");
    }

    private static String text(String where, Map<?, ?> section, String key) {
        if (section.get(key) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw new IllegalStateException(RESOURCE + ": " + where + "." + key + " is not a string");
    }

    private static List<String> list(String where, Map<?, ?> section, String key) {
        if (section.get(key) instanceof List<?> values && !values.isEmpty()
                && values.stream().allMatch(String.class::isInstance)) {
            return values.stream().map(String.class::cast).toList();
        }
        throw new IllegalStateException(RESOURCE + ": " + where + "." + key + " is not a list of package names");
    }
}
