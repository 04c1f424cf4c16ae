package io.matrixinstall.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.steps.LeftoversStep;
import io.matrixinstall.up.Plans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Element's branding files on a real tree: copied in, replaced, and each removed with its key (dry run lists first). */
class BrandingLayoutTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @TempDir
    Path root;

    @TempDir
    Path operator;

    private InstallConfig config(String... keyValues) {
        Map<String, String> settings = new HashMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org",
                "tls.mode", "self-signed"));
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigLoader.load(Optional.empty(), settings);
    }

    /** The layout steps and the leftovers step; the change lines. */
    private List<String> run(InstallConfig config, boolean dryRun) {
        PlanContext context = new PlanContext(config, new RootedHost(new LocalHost(), root),
                dryRun ? ChangeGate.recording(line -> { }) : ChangeGate.applying(line -> { }));
        List<Step> steps = new ArrayList<>(Plans.layoutSteps());
        Output<ComposeCli> noEngine = new Output<>("the docker step");
        noEngine.none(); // files only: no engine to look at
        steps.add(new LeftoversStep(noEngine));
        new Plan(steps).run(context);
        return context.gate().changes();
    }

    private Path onHost(String path) {
        return root.resolve(path.substring(1));
    }

    @Test
    void filesComeAndGoWithTheirKeys() throws Exception {
        Path welcome = Files.writeString(operator.resolve("welcome.html"), "<h1>Club</h1>");
        Path logo = Files.write(operator.resolve("logo"), PNG);
        Path svg = Files.writeString(operator.resolve("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        String dir = "/data/matrix/element-branding";

        run(config("element.welcome_page", welcome.toString(), "element.logo", logo.toString()), false);
        assertEquals("<h1>Club</h1>", Files.readString(onHost(dir + "/welcome.html")));
        assertArrayEquals(PNG, Files.readAllBytes(onHost(dir + "/logo.png")));
        assertTrue(Files.readString(onHost("/data/matrix/docker-compose.yml")).contains("./element-branding:/app/branding:ro"));
        assertEquals(List.of(), run(config("element.welcome_page", welcome.toString(), "element.logo", logo.toString()), false));

        // Another type of logo: the new file, and the old one removed.
        List<String> changed = run(config("element.welcome_page", welcome.toString(), "element.logo", svg.toString()), true);
        assertTrue(changed.stream().anyMatch(line -> line.startsWith("remove ")
                && line.endsWith(dir + "/logo.png (element.logo is now logo.svg)")), changed.toString());
        run(config("element.welcome_page", welcome.toString(), "element.logo", svg.toString()), false);
        assertFalse(Files.exists(onHost(dir + "/logo.png")));
        assertTrue(Files.exists(onHost(dir + "/logo.svg")));

        // Only the theme left: both files and the directory go (listed by a dry run before), and nothing else.
        List<String> themeOnly = run(config("element.default_theme", "dark"), true);
        assertEquals(3, themeOnly.stream().filter(line -> line.startsWith("remove ")).count(), themeOnly.toString());
        assertTrue(themeOnly.stream().anyMatch(line -> line.startsWith("remove directory ")
                && line.endsWith("element-branding (no element.welcome_page or element.logo)")), themeOnly.toString());
        assertTrue(Files.exists(onHost(dir + "/welcome.html")), "a dry run changes nothing");
        run(config("element.default_theme", "dark"), false);
        assertFalse(Files.exists(onHost(dir)));
        assertFalse(Files.readString(onHost("/data/matrix/docker-compose.yml")).contains("element-branding"));
        assertEquals(List.of(), run(config("element.default_theme", "dark"), false));
        assertEquals(List.of(), run(config(), true).stream().filter(line -> line.startsWith("remove")).toList());
    }

    @Test
    void aFileOfTheOperatorsInTheDirectoryKeepsIt() throws Exception {
        Path welcome = Files.writeString(operator.resolve("welcome.html"), "<h1>Club</h1>");
        run(config("element.welcome_page", welcome.toString()), false);
        Path mine = Files.writeString(onHost("/data/matrix/element-branding/notes.txt"), "mine");
        run(config(), false);
        assertFalse(Files.exists(onHost("/data/matrix/element-branding/welcome.html")));
        assertEquals("mine", Files.readString(mine));
    }
}
