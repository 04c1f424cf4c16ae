package io.matrixinstall.steps;

import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.command.ProgramsOnPath;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions.DockerSource;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.provision.DockerRecipes;
import io.matrixinstall.provision.Recipe;
import io.matrixinstall.provision.RecipeRun;
import io.matrixinstall.render.TemplateRenderer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code up}: makes sure a Docker engine answers and Compose (v2 plugin or v1 program) works; does nothing
 * when they do. Otherwise runs {@code provisioning/docker.yaml} through the host: the install recipe of the
 * distribution and source (Docker's apt repository as in the seed, or the distribution's packages when that
 * repository cannot be reached or {@code --docker-source distro} asks), then its start recipe (the seed's
 * daemon.json when absent, the engine started the way the host starts services). What is installed, written and
 * started is the recipe's; which source, and whether anything is needed at all, is decided here.
 */
public final class DockerStep implements Step {
    /** Short: an unreachable repository must not hold up an install that can use the distribution's packages. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(10);

    private final TemplateRenderer renderer;
    private final Output<ComposeCli> compose = new Output<>("the docker step");

    public DockerStep(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    /** The Compose that works on the host; none only in a dry run on a host without a working engine yet. */
    public Output<ComposeCli> compose() {
        return compose;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.ask(Commands.composeVersion(ComposeCli.V2), Commands.dockerInfo());
        wants.ask(ProgramsOnPath.QUESTION, List.of(ComposeCli.V1.prefix().get(0), DockerProbe.DOCKERD));
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        this.compose.none();
        Optional<ComposeCli> compose = DockerProbe.compose(host);
        boolean answers = DockerProbe.engineAnswers(host);
        if (answers && compose.isPresent()) {
            this.compose.set(compose.get());
            return;
        }
        DockerRecipes recipes = DockerRecipes.load();
        RecipeRun run = new RecipeRun(context, renderer);
        boolean engineInstalled = answers || DockerProbe.engineInstalled(host);
        if (!engineInstalled || compose.isEmpty()) {
            install(run, recipes, engineInstalled);
        }
        if (!answers) {
            run.converge(recipes.start());
        }
        if (context.gate().applies()) {
            this.compose.set(DockerProbe.compose(host).orElseThrow(
                    () -> new StepFailedException("Docker was installed but neither `docker compose` nor `docker-compose` works")));
        }
    }

    private void install(RecipeRun run, DockerRecipes recipes, boolean engineInstalled) {
        PlanContext context = run.context();
        String distribution = run.os().id();
        DockerSource chosen = context.options().dockerSource();
        if (chosen == DockerSource.AUTO) {
            Optional<DockerSource> probed = chooseSource(run, recipes.source(distribution, DockerSource.DOCKER));
            if (probed.isEmpty()) {
                // Dry run on a host without curl: the repository can only be probed once curl is installed.
                DockerRecipes.Source docker = recipes.source(distribution, DockerSource.DOCKER);
                Recipe distro = recipes.source(distribution, DockerSource.DISTRO).recipe(engineInstalled);
                context.gate().submit("if " + docker.probe().orElseThrow() + " answers: "
                        + String.join("; ", run.describe(docker.recipe(engineInstalled))) + "; else: "
                        + String.join("; ", run.describe(distro)), () -> {});
                return;
            }
            chosen = probed.get();
        }
        run.converge(recipes.source(distribution, chosen).recipe(engineInstalled));
    }

    /**
     * {@code --docker-source auto}: Docker's repository when it answers within {@link #PROBE_LIMIT}, else the
     * distribution's packages, said in one line. Empty only in a dry run on a host without what the probe needs.
     */
    private static Optional<DockerSource> chooseSource(RecipeRun run, DockerRecipes.Source docker) {
        PlanContext context = run.context();
        boolean needed = docker.probeNeeds().map(run::converge).orElse(false);
        if (needed && !context.gate().applies()) {
            return Optional.empty();
        }
        String url = docker.probe().orElseThrow();
        Command probe = Commands.probeUrl(url, PROBE_LIMIT);
        ExecResult answer = run.host().exec(probe);
        if (answer.ok()) {
            return Optional.of(DockerSource.DOCKER);
        }
        context.progress("Docker's apt repository " + url + " cannot be reached (curl exit " + answer.exitCode()
                + "): using " + run.os().prettyName() + "'s packages instead");
        return Optional.of(DockerSource.DISTRO);
    }

    /** The packages a source would install (for tests and messages). */
    static List<String> packages(String distribution, DockerSource source, boolean engineInstalled) {
        return DockerRecipes.load().source(distribution, source).recipe(engineInstalled).packages();
    }
}
