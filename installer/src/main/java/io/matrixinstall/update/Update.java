package io.matrixinstall.update;

import io.matrixinstall.component.Components;
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
 * {@link WaitHealthyStep} waits for Synapse. {@link #rollBack} is the way back when the new release is not healthy.
 */
public final class Update {
    private static final String SCHEMA_REFUSAL = "too new for the server to understand";

    private Update() {}

    public static Plan plan(PlanContext context, UpdateRun run, boolean prune) {
        TemplateRenderer renderer = new TemplateRenderer();
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
        }, new PostgresMajorGuard(), new LocateDockerStep(), new SecretsStep(new SecretGenerator()),
                new PullImagesStep(run), new BackupStep(run), new KeepImagesStep(run)));
        steps.addAll(restart(context, renderer, run));
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

    private static List<Step> restart(PlanContext context, TemplateRenderer renderer, UpdateRun run) {
        List<Step> steps = new ArrayList<>(List.of(StackStep.matrix(renderer), new WaitHealthyStep()));
        if (Components.PROXY.enabled(context.config())) {
            steps.add(StackStep.proxy(renderer));
        }
        steps.add(new ServicesHealthyStep(run));
        return steps;
    }

    /**
     * The new release did not become healthy: the previous images go back and their containers are recreated.
     * Only when the previous Synapse then refuses the migrated schema (its own words in its log) is the
     * pre-update dump restored. Returns what was done; throws when even that does not end healthy.
     */
    public static String rollBack(PlanContext context, UpdateRun run) {
        TemplateRenderer renderer = new TemplateRenderer();
        List<Step> back = new ArrayList<>(List.of(new PreviousImagesStep(run)));
        back.addAll(restart(context, renderer, run));
        try {
            new Plan(back).run(context);
            return "previous images restored, database untouched";
        } catch (StepFailedException e) {
            if (run.backup().isEmpty() || !synapseRefusesSchema(context)) {
                throw new StepFailedException("the rollback to the previous images did not become healthy either: "
                        + e.getMessage());
            }
            context.progress("the previous Synapse refuses the migrated schema: restoring " + run.backup().get());
            List<Step> restore = new ArrayList<>(List.of(new RestoreDatabaseStep(run.backup().get())));
            restore.addAll(restart(context, renderer, run));
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
