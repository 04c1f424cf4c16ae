package io.matrixinstall.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration `up` leaves on the host for `renew` reads back as the same configuration. */
class PersistedConfigTest {
    @TempDir
    Path dir;

    @Test
    void persistedSettingsRoundTrip() throws IOException {
        InstallConfig config = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org", "base_dir", "/srv/matrix/data", "element.brand", "Club \"Chat\" – é/ü: yes",
                "ports.https", "8443", "tls.acme.directory", "https://ca.internal:14000/dir"));
        Path file = dir.resolve("matrix-install.yaml");
        Files.write(file, new TemplateRenderer().render("host/matrix-install.yaml.ftl", Map.of("settings", config.settings())));
        InstallConfig read = ConfigLoader.load(Optional.of(file), Map.of());
        assertEquals(config.settings(), read.settings());
        assertEquals(config.elementBrand(), read.elementBrand());
        assertEquals(config.tls().acmeDirectory(), read.tls().acmeDirectory());
    }
}
