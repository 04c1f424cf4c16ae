package io.matrixinstall.plan.steps;

import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.SecretGenerator;
import io.matrixinstall.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Generates each secret once, when its file is missing, and reuses it on every later run; an existing
 * secret is never overwritten. Also writes the Synapse signing key in Synapse's own format.
 */
public final class SecretsStep implements Step {
    private final SecretGenerator generator;

    public SecretsStep(SecretGenerator generator) {
        this.generator = generator;
    }

    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public void run(PlanContext context) {
        Layout layout = context.layout();
        Map<Secret, String> values = new EnumMap<>(Secret.class);
        for (Secret secret : Secret.values()) {
            Path path = layout.secretsDir().resolve(secret.fileName());
            values.put(secret, keepOrGenerate(context, path, Ownership.ROOT, generator.secret()).trim());
        }
        // Synapse reads its key as uid 991; nobody else may.
        keepOrGenerate(context, layout.signingKey(), Ownership.SYNAPSE, generator.signingKey());
        context.useSecrets(new Secrets(values));
    }

    private static String keepOrGenerate(PlanContext context, Path path, Ownership owner, String fresh) {
        Optional<String> existing = context.host().read(path)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .filter(text -> !text.isBlank());
        String value = existing.orElse(fresh);
        FileSync.file(context, path, value.getBytes(StandardCharsets.UTF_8), owner, Layout.PRIVATE_FILE);
        return value;
    }
}
