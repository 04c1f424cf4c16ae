package io.matrixinstall.data;

import io.matrixinstall.component.Components;
import io.matrixinstall.up.Plans;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.steps.SecretsStep;
import io.matrixinstall.steps.WaitHealthyStep;
import io.matrixinstall.secrets.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * `restore` and `migrate` are `up` with someone else's identity and data: the old server's keys are placed before
 * `up`'s secrets step (so the configuration it renders and the Synapse it starts carry them), `up` converges the
 * whole install as usual (a fresh host gets everything), then the media are unpacked and checked in root-only
 * staging, the database is loaded beside the live one and swapped in with Synapse stopped, the media replace the
 * media store, and Synapse starts and must become healthy.
 */
public final class DataPlans {
    private DataPlans() {}

    /**
     * The media are unpacked and checked before the database is swapped (a refused archive leaves the server as it
     * was), and put in place after it, with Synapse stopped.
     */
    public static Plan restore(InstallConfig config, StateDir state, VerifyBackupStep verify) {
        List<Step> steps = new ArrayList<>(List.of(verify));
        steps.addAll(upWith(config, state, context -> backupKeys(context, verify)));
        MediaStagingStep media = MediaStagingStep.fromBackup(verify);
        steps.add(media);
        steps.add(DatabaseImportStep.fromBackup(verify));
        steps.add(new MediaPlaceStep(media));
        steps.add(new StartSynapseStep());
        return new Plan(steps);
    }

    public static Plan migrate(InstallConfig config, StateDir state, MigrateInputsStep inputs, Path dump, String macaroonSecret,
            Optional<Path> media) {
        List<Step> steps = new ArrayList<>(List.of(inputs));
        steps.addAll(upWith(config, state, context -> {
            Map<Secret, String> secrets = new EnumMap<>(Secret.class);
            secrets.put(Secret.MACAROON_SECRET_KEY, macaroonSecret);
            return new KeyMaterial(secrets, Optional.of(inputs.signingKey()));
        }));
        Optional<MediaStagingStep> staged = media.map(MediaStagingStep::fromDirectory);
        staged.ifPresent(steps::add);
        steps.add(DatabaseImportStep.fromDump(dump));
        staged.ifPresent(step -> steps.add(new MediaPlaceStep(step)));
        steps.add(new StartSynapseStep());
        return new Plan(steps);
    }

    /**
     * `up`'s plan with the keys placed right before its secrets step, and without its wait for Synapse: Synapse is
     * stopped for the swap anyway, and {@link StartSynapseStep} waits for it on the imported data (a fresh host would
     * otherwise wait for a schema that is thrown away).
     */
    static List<Step> upWith(InstallConfig config, StateDir state, Function<PlanContext, KeyMaterial> keys) {
        List<Step> steps = new ArrayList<>();
        for (Step step : Plans.up(config, state).steps()) {
            if (step instanceof SecretsStep) {
                steps.add(new PlaceKeysStep(keys));
            }
            if (!(step instanceof WaitHealthyStep)) {
                steps.add(step);
            }
        }
        return steps;
    }

    /**
     * The backup's signing key and secrets, as verified. Not its database password where this host's database cluster
     * already exists (a fresh `up` before the restore): that password lives in the cluster, not in the restored
     * database, so the host's own stays; on a host with no database yet the backup's is used and the host ends identical.
     */
    static KeyMaterial backupKeys(PlanContext context, VerifyBackupStep verify) {
        return verify.keys(!context.docker().volumeExists(context.layout().databaseVolume()),
                Components.secrets(context.config()));
    }
}
