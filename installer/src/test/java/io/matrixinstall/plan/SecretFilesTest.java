package io.matrixinstall.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.plan.steps.SecretsGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret read from disk (kept from an earlier run, or restored from a backup) must look like one the generator
 * makes: anything else is refused in one line naming the file, before it reaches a configuration file.
 */
class SecretFilesTest {
    @TempDir
    Path root;

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "none"));

    private PlanContext context() {
        return new PlanContext(config, new RootedHost(new LocalHost(root.resolve("run")), root.resolve("fs")),
                ChangeGate.applying(line -> {}));
    }

    private Path secret(String name, String content) throws IOException {
        Path file = root.resolve("fs/data/matrix/secrets").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void aSecretFileWithCharactersNoGeneratedSecretHasIsRefusedBeforeItIsRendered() throws IOException {
        for (String hostile : new String[] {"abc\"\nenable_registration: true", "it's", "back\\slash", "hash#tag", "key: value"}) {
            secret("form_secret", hostile);
            String message = assertThrows(PreconditionException.class, () -> Plan.files().run(context()), hostile).getMessage();
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith("/data/matrix/secrets/form_secret: "), message);
            assertFalse(Files.exists(root.resolve("fs/data/matrix/files/homeserver.yaml")), hostile);
        }
        // What the generator makes, with the newline an editor adds, is kept as it is.
        secret("form_secret", "Abc123xyz\n");
        Plan.files().run(context());
        assertTrue(Files.readString(root.resolve("fs/data/matrix/files/homeserver.yaml")).contains("form_secret: \"Abc123xyz\""));
    }

    @Test
    void theGuardRefusesAnInUseSecretOfTheWrongAlphabetBeforeAnythingChanges() throws IOException {
        Plan.files().run(context());
        secret("registration_shared_secret", "abc\"\ninjected: 1\n");
        String message = assertThrows(PreconditionException.class, () -> new SecretsGuard().run(context())).getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("/data/matrix/secrets/registration_shared_secret: "), message);
    }
}
