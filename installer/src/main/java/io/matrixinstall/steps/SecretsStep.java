package io.matrixinstall.steps;

import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.SecretGenerator;
import io.matrixinstall.secrets.Secrets;
import io.matrixinstall.turn.TurnValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generates each secret of the enabled components once, when its file is missing, and reuses it on every later run;
 * an existing secret is never overwritten. Also writes the Synapse signing key in Synapse's own format.
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

    /** Every secret's file (of the enabled components) and the signing key. */
    static List<Path> files(Layout layout) {
        List<Path> files = new ArrayList<>();
        for (Secret secret : Components.secrets(layout.config())) {
            files.add(layout.secretsDir().resolve(secret.fileName()));
        }
        files.add(layout.signingKey());
        return files;
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.file(files(context.layout()));
    }

    @Override
    public void run(PlanContext context) {
        Layout layout = context.layout();
        Map<Secret, Path> files = new EnumMap<>(Secret.class);
        for (Secret secret : Components.secrets(context.config())) {
            files.put(secret, layout.secretsDir().resolve(secret.fileName()));
        }
        List<Path> paths = new ArrayList<>(files.values());
        paths.add(layout.signingKey());
        // Every secret's current value in one round trip on a remote host; then one batched compare-and-write.
        Map<Path, Optional<byte[]>> existing = context.host().readAll(paths);
        Map<Secret, String> values = new EnumMap<>(Secret.class);
        List<FileSync.Wanted> wanted = new ArrayList<>();
        files.forEach((secret, path) -> {
            // A kept value must look like a generated one (see SecretFiles); the file itself is kept byte for byte.
            Optional<String> kept = SecretFiles.value(path, secret, existing.get(path));
            String value = kept.isPresent() ? new String(existing.get(path).get(), StandardCharsets.UTF_8) : generator.secret();
            values.put(secret, kept.orElse(value));
            wanted.add(new FileSync.Wanted(path, value.getBytes(StandardCharsets.UTF_8), Ownership.ROOT, Layout.PRIVATE_FILE));
        });
        // Synapse reads its key as uid 991; nobody else may.
        String key = keepOrGenerate(existing.get(layout.signingKey()), generator.signingKey());
        wanted.add(new FileSync.Wanted(layout.signingKey(), key.getBytes(StandardCharsets.UTF_8), Ownership.SYNAPSE,
                Layout.PRIVATE_FILE));
        FileSync.files(context, wanted);
        context.useSecrets(new Secrets(values));
        // TURN's public address (only while it is on), found with the secrets so every plan that renders has it.
        TurnValues.find(context);
    }

    private static String keepOrGenerate(Optional<byte[]> existing, String fresh) {
        return existing.map(bytes -> new String(bytes, StandardCharsets.UTF_8)).filter(text -> !text.isBlank())
                .orElse(fresh);
    }
}
