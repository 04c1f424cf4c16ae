package io.matrixinstall.plan;

import io.matrixinstall.plan.steps.ConfigFilesStep;
import io.matrixinstall.plan.steps.DirectoriesStep;
import io.matrixinstall.plan.steps.SecretsStep;
import io.matrixinstall.plan.steps.ServerNameGuard;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.SecretGenerator;
import java.util.ArrayList;
import java.util.List;

/** An ordered list of steps. {@code up}, {@code up --dry-run} and {@code render} run the same plan. */
public final class Plan {
    private final List<Step> steps;

    public Plan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The host layout of seed 001: directories, secrets, rendered files. Touches only files. */
    public static List<Step> layoutSteps() {
        return List.of(new ServerNameGuard(), new DirectoriesStep(), new SecretsStep(new SecretGenerator()),
                new ConfigFilesStep(new TemplateRenderer()));
    }

    public static Plan files() {
        return new Plan(layoutSteps());
    }

    public List<Step> steps() {
        return steps;
    }

    public Plan then(List<Step> more) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(more);
        return new Plan(all);
    }

    public void run(PlanContext context) {
        for (Step step : steps) {
            step.run(context);
        }
    }
}
