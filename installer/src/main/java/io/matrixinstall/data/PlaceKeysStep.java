package io.matrixinstall.data;

import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Puts the taken-over secrets and signing key where this install keeps its own, in `up`'s plan right before the
 * secrets step (which then keeps them, as it keeps any existing secret), so the configuration `up` renders and the
 * Synapse it starts already carry the old server's identity.
 */
public final class PlaceKeysStep implements Step {
    private final Function<PlanContext, KeyMaterial> source;

    public PlaceKeysStep(Function<PlanContext, KeyMaterial> source) {
        this.source = source;
    }

    @Override
    public String name() {
        return "place keys";
    }

    @Override
    public void run(PlanContext context) {
        KeyMaterial keys = source.apply(context);
        Layout layout = context.layout();
        keys.secrets().forEach((secret, value) -> FileSync.file(context, layout.secretsDir().resolve(secret.fileName()),
                value.getBytes(StandardCharsets.UTF_8), Ownership.ROOT, Layout.PRIVATE_FILE));
        // Synapse reads its key as uid 991; nobody else may.
        keys.signingKey().ifPresent(key -> FileSync.file(context, layout.signingKey(), key.getBytes(StandardCharsets.UTF_8),
                Ownership.SYNAPSE, Layout.PRIVATE_FILE));
    }
}
