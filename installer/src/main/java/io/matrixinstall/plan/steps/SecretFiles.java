package io.matrixinstall.plan.steps;

import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A secret read back from disk (kept from an earlier run, placed by `restore` or `migrate`): the value is the file
 * without surrounding whitespace, and it must keep to its secret's alphabet, or the run stops in one line naming
 * the file. A file that was tampered with, or mangled on its way through a backup, never reaches a configuration.
 */
public final class SecretFiles {
    private SecretFiles() {}

    /** The value in {@code content}; empty when the file is absent or blank (a new one is generated then). */
    public static Optional<String> value(Path file, Secret secret, Optional<byte[]> content) {
        Optional<String> value = content.map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip()).filter(v -> !v.isEmpty());
        value.ifPresent(v -> require(file, secret, v));
        return value;
    }

    /** Refuses a value outside the secret's alphabet; the message names the file, never the value. */
    public static void require(Path file, Secret secret, String value) {
        if (!secret.accepts(value)) {
            throw new PreconditionException(file + ": not a secret as matrix-install writes it: " + secret.fileName()
                    + " may hold only " + secret.alphabet() + ", in one line; restore the file from a backup (or, on a"
                    + " host that never used it, delete it and a new one is generated)");
        }
    }
}
