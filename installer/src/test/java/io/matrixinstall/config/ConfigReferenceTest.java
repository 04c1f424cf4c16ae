package io.matrixinstall.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration-reference.md is exactly what ConfigKey renders; -Dregenerate=true rewrites it. */
class ConfigReferenceTest {
    private static final Path FILE = Path.of("..", "docs", "configuration-reference.md");

    @Test
    void committedReferenceMatchesConfigKey() throws IOException {
        String expected = ConfigReference.markdown();
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.isRegularFile(FILE), FILE.toAbsolutePath() + " is missing; run: " + ConfigReference.REGENERATE);
        assertEquals(expected, Files.readString(FILE, StandardCharsets.UTF_8),
                "docs/configuration-reference.md differs from ConfigKey; regenerate it: " + ConfigReference.REGENERATE);
    }

    @Test
    void everyKeyHasItsRow() {
        String markdown = ConfigReference.markdown();
        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(markdown.contains("| `" + key.key() + "` |"), key.key());
            assertTrue(!key.help().isBlank() && !key.notes().isBlank(), key.key() + " has no description");
        }
    }
}
