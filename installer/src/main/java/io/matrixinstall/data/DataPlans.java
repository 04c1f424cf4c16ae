package io.matrixinstall.data;

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
import java.nio.charset.StandardCharsets;
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
 * whole install as usual (a fresh host gets everything), then the database is loaded beside the live one and swapped
 * in with Synapse stopped, the media follow, and Synapse starts and must become healthy.
 */
public final class DataPlans {
    private DataPlans() {}

    public static Plan restore(InstallConfig config, StateDir state, VerifyBackupStep verify) {
        Path dir = verify.directory();
        List<Step> steps = new ArrayList<>(List.of(verify));
        steps.addAll(upWith(config, state, context -> backupKeys(context, dir)));
        steps.add(new DatabaseImportStep(dir.resolve(BackupLayout.DATABASE), false));
        steps.add(new MediaArchiveStep(dir.resolve(BackupLayout.MEDIA)));
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
        steps.add(new DatabaseImportStep(dump, true));
        media.ifPresent(dir -> steps.add(new MediaDirectoryStep(dir)));
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
     * The backup's signing key and secrets. Not its database password where this host's database cluster already
     * exists (a fresh `up` before the restore): that password lives in the cluster, not in the restored database,
     * so the host's own stays; on a host with no database yet the backup's is used and the host ends identical.
     */
    static KeyMaterial backupKeys(PlanContext context, Path dir) {
        Host host = context.host();
        boolean clusterExists = context.docker().volumeExists(context.layout().databaseVolume());
        Map<Secret, String> secrets = new EnumMap<>(Secret.class);
        for (Secret secret : Secret.values()) {
            if (secret == Secret.POSTGRES_PASSWORD && clusterExists) {
                continue;
            }
            secrets.put(secret, text(host, dir.resolve(BackupLayout.secret(secret))));
        }
        return new KeyMaterial(secrets, Optional.of(text(host, dir.resolve(BackupLayout.SIGNING_KEY))));
    }

    private static String text(Host host, Path file) {
        return host.read(file).map(b -> new String(b, StandardCharsets.UTF_8))
                .orElseThrow(() -> new StepFailedException("cannot read " + file));
    }
}
