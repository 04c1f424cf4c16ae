package io.matrixinstall.data;

import io.matrixinstall.secrets.Secret;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The identity and secrets an install takes over from elsewhere (a backup, or the server being migrated): each
 * secret present here replaces the generated one, and the signing key replaces this install's. Never printed.
 */
public record KeyMaterial(Map<Secret, String> secrets, Optional<String> signingKey) {
    public KeyMaterial {
        secrets = secrets.isEmpty() ? new EnumMap<>(Secret.class) : new EnumMap<>(secrets);
    }

    @Override
    public String toString() {
        return "KeyMaterial[hidden]";
    }
}
