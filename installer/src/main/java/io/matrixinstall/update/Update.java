package io.matrixinstall.update;

import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.db.PostgresMajorGuard;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.steps.LocateDockerStep;
import io.matrixinstall.steps.SecretsStep;
import io.matrixinstall.steps.StackStep;
import io.matrixinstall.steps.WaitHealthyStep;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.SecretGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * `update` and `refresh` as plans of the same steps `up` uses: pull, back up, keep the previous images, then
 * {@link StackStep} recreates exactly the services whose image changed (Compose: db healthy before Synapse) and
 * {@link WaitHealthyStep} waits for Synapse. {@link #rollBack} is the way back when the new release is not healthy;
 * it uses what the plan's docker and secrets steps found.
 */
public final class Update {
    private static final String SCHEMA_REFUSAL = "too new for the server to understand";

    private final UpdateRun run;
    private final boolean prune;
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final LocateDockerStep docker = new LocateDockerStep();
    private final SecretsStep secrets = new SecretsStep(new SecretGenerator());

    public Update(UpdateRun run, boolean prune) {
        this.run = run;
        this.prune = prune;
    }

    public Plan plan() {
        List<Step> steps = new ArrayList<>(List.of(new Step() {
            @Override
            public String name() {
                return "installed";
            }

            @Override
            public void run(PlanContext c) {
                // update installs nothing: without the stack `up` wrote there is nothing to update.
                if (c.host().stat(c.layout().composeFile()).isEmpty()) {
                    throw new PreconditionException("nothing installed at " + c.config().baseDir()
                            + " (no " + c.layout().composeFile() + "): run `matrix-install up` first");
                }
            }
        }, new PostgresMajorGuard(), docker, secrets,
                new PullImagesStep(run), new BackupStep(run), new KeepImagesStep(run)));
        steps.addAll(restart());
        steps.add(new Step() {
            @Override
            public String name() {
                return "release healthy";
            }

            @Override
            public void run(PlanContext ignored) {
                run.healthy(); // from here on a failure (pruning, say) is no reason to roll back
            }
        });
        steps.add(new OlderRollbacksStep(run));
        if (prune) {
            steps.add(new PruneStep());
        }
        return new Plan(steps);
    }

    /** The stacks on the images now tagged (the proxy's does nothing without a proxy), each service healthy. */
    private List<Step> restart() {
        return List.of(StackStep.matrix(renderer, docker.compose(), secrets.secrets()), new WaitHealthyStep(),
                StackStep.proxy(renderer, docker.compose(), secrets.secrets()), new ServicesHealthyStep(run));
    }

    /**
     * The new release did not become healthy: the previous images go back and their containers are recreated.
     * Only when the previous Synapse then refuses the migrated schema (its own words in its log) is the
     * pre-update dump restored. Returns what was done; throws when even that does not end healthy.
     */
    public String rollBack(PlanContext context) {
        List<Step> back = new ArrayList<>(List.of(new PreviousImagesStep(run)));
        back.addAll(restart());
        try {
            new Plan(back).run(context);
            return "previous images restored, database untouched";
        } catch (StepFailedException e) {
            if (run.backup().isEmpty() || !synapseRefusesSchema(context)) {
                throw new StepFailedException("the rollback to the previous images did not become healthy either: "
                        + e.getMessage());
            }
            context.progress("the previous Synapse refuses the migrated schema: restoring " + run.backup().get());
            List<Step> restore = new ArrayList<>(List.of(new RestoreDatabaseStep(run.backup().get(), docker.compose())));
            restore.addAll(restart());
            new Plan(restore).run(context);
            return "previous images restored, database restored from " + run.backup().get()
                    + " (the previous Synapse refused the migrated schema)";
        }
    }

    private static boolean synapseRefusesSchema(PlanContext context) {
        Optional<ServiceContainer> synapse = context.docker().projectContainers(context.config().projects().matrix()).stream()
                .filter(c -> c.service().equals("synapse")).findFirst();
        return synapse.isPresent() && context.engine().logs(synapse.get().id(), 200).contains(SCHEMA_REFUSAL);
    }
}
