package io.matrixinstall.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registration.mode and Element's branding keys: what is accepted and the one-line refusals. */
class RegistrationBrandingConfigTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @TempDir
    Path dir;

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("domain", "matrix.example.org");
        flags.put("email", "admin@example.org");
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(keyValues[i], keyValues[i + 1]);
        }
        return flags;
    }

    private static InstallConfig load(Map<String, String> flags) {
        return ConfigLoader.load(Optional.empty(), flags);
    }

    private static String error(Map<String, String> flags) {
        return assertThrows(ConfigException.class, () -> load(flags)).getMessage();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    void registrationIsClosedByDefaultAndTakesTheThreeModes() {
        assertEquals(RegistrationMode.CLOSED, load(with()).registration());
        assertEquals(RegistrationMode.TOKEN, load(with("registration.mode", "token")).registration());
        assertEquals(RegistrationMode.CLOSED, load(with("registration.mode", "closed")).registration());
        assertEquals("registration.mode: must be one of closed, token, open (got 'invite')",
                error(with("registration.mode", "invite")));
    }

    @Test
    void openWithoutEmailIsRefusedInOneLine() {
        String message = error(with("registration.mode", "open"));
        assertEquals("registration.mode: open needs e-mail verification: set mail.smtp_host (an unverified open server"
                + " is a spam target), or use registration.mode token", message);
        assertTrue(!message.contains("\n"));
        assertEquals(RegistrationMode.OPEN, load(with("registration.mode", "open", "mail.smtp_host", "smtp.example.org",
                "mail.from", "matrix@example.org")).registration());
    }

    @Test
    void aModeOtherThanClosedOwnsSynapsesRegistrationKeys() throws IOException {
        Path extra = file("extra.yaml", "enable_registration: true\nenable_registration_without_verification: true\n"
                .getBytes(StandardCharsets.UTF_8));
        // closed: the operator's own settings stay theirs, as before registration.mode existed.
        assertEquals(RegistrationMode.CLOSED, load(with("synapse.extra_config", extra.toString())).registration());
        assertEquals("synapse.extra_config: sets 'enable_registration', which registration.mode token manages; remove it there",
                error(with("synapse.extra_config", extra.toString(), "registration.mode", "token")));
    }

    @Test
    void brandingFilesAreReadAndNamedByTheirType() throws IOException {
        Path welcome = file("welcome.html", "<h1>Welcome to the club</h1>\n".getBytes(StandardCharsets.UTF_8));
        Path logo = file("club-logo", PNG);
        InstallConfig config = load(with("element.welcome_page", welcome.toString(), "element.logo", logo.toString(),
                "element.default_theme", "dark"));
        assertEquals("welcome.html", config.branding().welcomePage().orElseThrow().name());
        assertEquals("logo.png", config.branding().logo().orElseThrow().name());
        assertArrayEquals(PNG, config.branding().logo().orElseThrow().content());
        assertEquals(Optional.of("dark"), config.branding().theme());
        assertEquals("logo.svg", load(with("element.logo", file("l.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8)).toString()))
                .branding().logo().orElseThrow().name());
        assertEquals(Branding.NONE, load(with()).branding());
    }

    @Test
    void brandingFilesAreCheckedLikeOtherOperatorFiles() throws IOException {
        Path notHtml = file("welcome.txt", "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
        assertEquals("element.welcome_page: " + notHtml + " is not an HTML file (.html or .htm)",
                error(with("element.welcome_page", notHtml.toString())));
        Path binary = file("page.html", PNG);
        assertEquals("element.welcome_page: " + binary + " is not UTF-8 text", error(with("element.welcome_page", binary.toString())));
        Path plain = file("plain.html", "just words".getBytes(StandardCharsets.UTF_8));
        assertEquals("element.welcome_page: " + plain + " holds no HTML", error(with("element.welcome_page", plain.toString())));
        Path big = file("big.html", ("<p>" + "x".repeat(Branding.MAX_WELCOME_PAGE) + "</p>").getBytes(StandardCharsets.UTF_8));
        assertEquals("element.welcome_page: " + big + " is larger than 1 MiB", error(with("element.welcome_page", big.toString())));
        Path directory = Files.createDirectory(dir.resolve("d.html"));
        assertEquals("element.welcome_page: " + directory + " is not a regular file (a directory)",
                error(with("element.welcome_page", directory.toString())));
    }

    @Test
    void aLinkIsRefusedNotFollowed() throws IOException {
        Path target = file("real.html", "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
        Path link = Files.createSymbolicLink(dir.resolve("link.html"), target);
        assertEquals("element.welcome_page: " + link + " is a symbolic link; name the file itself",
                error(with("element.welcome_page", link.toString())));
        Path logoLink = Files.createSymbolicLink(dir.resolve("logo.png"), file("real.png", PNG));
        assertEquals("element.logo: " + logoLink + " is a symbolic link; name the file itself",
                error(with("element.logo", logoLink.toString())));
    }

    @Test
    void aLogoMustBeAnImageWithinItsSize() throws Exception {
        Path text = file("logo.png", "not an image".getBytes(StandardCharsets.UTF_8));
        assertEquals("element.logo: " + text + " is not a PNG, JPEG, GIF, WebP or SVG image", error(with("element.logo", text.toString())));
        Path script = file("logo.svg", "<svg><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8));
        assertEquals("element.logo: " + script + " is an SVG with scripts; remove them", error(with("element.logo", script.toString())));
        Path handler = file("h.svg", "<svg onload=\"x()\"></svg>".getBytes(StandardCharsets.UTF_8));
        assertEquals("element.logo: " + handler + " is an SVG with scripts; remove them", error(with("element.logo", handler.toString())));
        byte[] huge = new byte[Branding.MAX_LOGO + 1];
        System.arraycopy(PNG, 0, huge, 0, PNG.length);
        Path big = file("big.png", huge);
        assertEquals("element.logo: " + big + " is larger than 512 KiB", error(with("element.logo", big.toString())));
        Path fifo = dir.resolve("fifo.png");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertEquals("element.logo: " + fifo + " is not a regular file", error(with("element.logo", fifo.toString())));
    }

    @Test
    void theThemeIsLightOrDark() {
        assertEquals("element.default_theme: must be light or dark (got 'blue')", error(with("element.default_theme", "blue")));
        assertEquals(Optional.empty(), load(with()).branding().theme());
    }
}
