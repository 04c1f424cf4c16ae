package io.matrixinstall.provision;

import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code provisioning/jre.yaml}: the headless Java runtime the agent's schedules run on a host installed from
 * another machine.
 *
 * @param java    the command the schedules run (the distribution's alternatives link)
 * @param minimum the feature release the agent needs
 */
public record JavaRecipe(Path java, int minimum, Map<?, ?> install) {
    public static final String RESOURCE = "provisioning/jre.yaml";

    public static JavaRecipe load() {
        Map<?, ?> file = Recipe.load(RESOURCE);
        if (!(file.get("minimum") instanceof Integer minimum) || minimum < 17) {
            throw Recipe.defect(RESOURCE + ": minimum", "is not a Java feature release of 17 or later");
        }
        if (!(file.get("install") instanceof Map<?, ?> install)) {
            throw Recipe.defect(RESOURCE + ": install", "is not a mapping");
        }
        return new JavaRecipe(Recipe.path(RESOURCE + ": java", file.get("java")), minimum, install);
    }

    /** The install recipe for a distribution (its os-release ID); one line when it has none. */
    public Recipe forDistribution(String distribution) {
        Object recipe = install.get(distribution);
        if (recipe == null) {
            throw new StepFailedException(RESOURCE + " has no recipe for distribution '" + distribution + "'");
        }
        return Recipe.parse(RESOURCE + ": install." + distribution, recipe);
    }
}
