package io.matrixinstall.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What registration and Element's branding add to the install as components: status lines, files, leftovers. */
class RegistrationBrandingComponentsTest {
    @TempDir
    Path dir;

    static InstallConfig config(String... keyValues) {
        Map<String, String> settings = new HashMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org",
                "tls.mode", "self-signed"));
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigLoader.load(Optional.empty(), settings);
    }

    static List<String> status(InstallConfig config) {
        return Components.statusLines(new StatusSource(null, null, config, new Layout(config))).stream()
                .filter(line -> line.startsWith("registration") || line.startsWith("element branding")).toList();
    }

    @Test
    void statusSaysHowPeopleSignUpAndWhatIsBranded() throws Exception {
        assertEquals(List.of(), status(config()));
        Path page = Files.writeString(dir.resolve("w.html"), "<p>hi</p>");
        assertEquals(List.of("element branding: welcome page, dark theme",
                "registration: with a token (`matrix-install token create`)"), status(config("registration.mode", "token",
                "element.welcome_page", page.toString(), "element.default_theme", "dark")));
    }

    @Test
    void brandingCopiesItsFilesAndLeavesNothingWhenOff() throws Exception {
        Path page = Files.writeString(dir.resolve("w.html"), "<p>hi</p>");
        InstallConfig on = config("element.welcome_page", page.toString());
        Layout layout = new Layout(on);
        assertEquals(List.of(layout.brandingDir().resolve("welcome.html")),
                Components.copies(layout).stream().map(f -> f.path()).toList());
        assertTrue(Components.directories(layout).stream().anyMatch(d -> d.path().equals(layout.brandingDir())));
        InstallConfig off = config();
        assertTrue(Components.copies(new Layout(off)).isEmpty());
        assertFalse(Components.enabled(off).stream().anyMatch(c -> c.name().equals("element branding")));
        List<Leftover> leftovers = Components.disabled(off).stream().filter(c -> c.name().equals("element branding"))
                .flatMap(c -> c.leftovers(new Layout(off)).stream()).toList();
        assertEquals(Leftover.Kind.DIRECTORY, leftovers.get(leftovers.size() - 1).kind(), "the directory goes last");
        assertEquals(7, leftovers.size(), leftovers.toString()); // welcome.html, five logo types, the directory
    }
}
