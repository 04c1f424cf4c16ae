package io.matrixinstall.provision;

import io.matrixinstall.plan.RunOptions.DockerSource;
import io.matrixinstall.plan.StepFailedException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code provisioning/docker.yaml}: how a host gets Docker, per distribution and source, and how the engine is
 * then configured and started.
 */
public final class DockerRecipes {
    public static final String RESOURCE = "provisioning/docker.yaml";

    /**
     * One distribution's recipes for one source.
     *
     * @param probe  the URL whose answer makes {@code --docker-source auto} choose this source (docker only)
     * @param probeNeeds what the probe needs on the host (curl), installed first when missing
     * @param engine everything, when no engine is installed
     * @param compose Compose alone, when an engine is installed already
     */
    public record Source(Optional<String> probe, Optional<Recipe> probeNeeds, Recipe engine, Recipe compose) {
        public Recipe recipe(boolean engineInstalled) {
            return engineInstalled ? compose : engine;
        }
    }

    private final Map<?, ?> file;

    private DockerRecipes(Map<?, ?> file) {
        this.file = file;
    }

    public static DockerRecipes load() {
        return new DockerRecipes(Recipe.load(RESOURCE));
    }

    /** The recipes for a distribution (its os-release ID) and source; one line when the distribution has none. */
    public Source source(String distribution, DockerSource source) {
        if (!(map("install").get(distribution) instanceof Map<?, ?> entry)) {
            throw new StepFailedException(RESOURCE + " has no recipe for distribution '" + distribution
                    + "' (it knows " + String.join(", ", map("install").keySet().stream().map(String::valueOf).toList()) + ")");
        }
        String key = source.name().toLowerCase(java.util.Locale.ROOT);
        String where = RESOURCE + ": install." + distribution + "." + key;
        if (!(entry.get(key) instanceof Map<?, ?> section)) {
            throw Recipe.defect(where, "is not a mapping");
        }
        Optional<String> probe = Optional.ofNullable(section.get("probe")).map(url -> Recipe.text(where + ".probe", url));
        Optional<Recipe> needs = Optional.ofNullable(section.get("probe_needs"))
                .map(value -> Recipe.parse(where + ".probe_needs", value instanceof Map<?, ?> ? java.util.List.of(value) : value));
        if (source == DockerSource.DOCKER && probe.isEmpty()) {
            throw Recipe.defect(where + ".probe", "is missing");
        }
        return new Source(probe, needs, Recipe.parse(where + ".engine", section.get("engine")),
                Recipe.parse(where + ".compose", section.get("compose")));
    }

    /** What runs whenever the engine does not answer: the seed's daemon.json when absent, then the start. */
    public Recipe start() {
        return Recipe.parse(RESOURCE + ": start", file.get("start"));
    }

    private Map<?, ?> map(String key) {
        if (file.get(key) instanceof Map<?, ?> map) {
            return map;
        }
        throw Recipe.defect(RESOURCE + ": " + key, "is not a mapping");
    }
}
