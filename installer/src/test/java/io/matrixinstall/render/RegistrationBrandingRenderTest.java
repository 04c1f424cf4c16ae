package io.matrixinstall.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** What registration.mode puts in homeserver.yaml, and what the branding keys put in Element's config and Compose. */
class RegistrationBrandingRenderTest {
    static final Path HOMESERVER = Path.of("/data/matrix/files/homeserver.yaml");
    static final Path ELEMENT = Path.of("/data/matrix/element-config.json");
    static final Path COMPOSE = Path.of("/data/matrix/docker-compose.yml");

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @TempDir
    Path dir;

    static String text(WantedFiles wanted, Path path) {
        return new String(wanted.content(path), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> homeserver(Map<String, String> settings) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(text(WantedFilesTest.wanted(settings), HOMESERVER));
    }

    @Test
    void closedIsTodaysFileAndTokenRequiresATokenToSignUp() {
        assertEquals(text(WantedFilesTest.wanted(Map.of()), HOMESERVER),
                text(WantedFilesTest.wanted(Map.of("registration.mode", "closed")), HOMESERVER));
        Map<String, Object> closed = homeserver(Map.of());
        assertEquals(false, closed.get("enable_registration"));
        assertFalse(closed.containsKey("registration_requires_token"));
        Map<String, Object> token = homeserver(Map.of("registration.mode", "token"));
        assertEquals(true, token.get("enable_registration"));
        assertEquals(true, token.get("registration_requires_token"));
        assertFalse(token.containsKey("registrations_require_3pid"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void openRequiresAVerifiedEmailAddressAndRendersTheMailSettings() {
        Map<String, Object> open = homeserver(Map.of("registration.mode", "open", "mail.smtp_host", "smtp.example.org",
                "mail.from", "matrix@example.org"));
        assertEquals(true, open.get("enable_registration"));
        assertEquals(java.util.List.of("email"), open.get("registrations_require_3pid"));
        assertFalse(open.containsKey("registration_requires_token"));
        assertEquals("smtp.example.org", ((Map<String, Object>) open.get("email")).get("smtp_host"));
    }

    @Test
    void brandingNamesTheCopiedFilesInElementsConfigAndMountsThem() throws Exception {
        Path welcome = Files.writeString(dir.resolve("w.html"), "<h1>Club</h1>");
        Path logo = Files.write(dir.resolve("l.png"), PNG);
        WantedFiles plain = WantedFilesTest.wanted(Map.of());
        JsonNode stock = new ObjectMapper().readTree(text(plain, ELEMENT));
        assertTrue(stock.path("embedded_pages").isMissingNode() && stock.path("branding").isMissingNode()
                && stock.path("default_theme").isMissingNode(), stock.toString());
        assertFalse(text(plain, COMPOSE).contains("element-branding"));

        WantedFiles branded = WantedFilesTest.wanted(Map.of("element.welcome_page", welcome.toString(),
                "element.logo", logo.toString(), "element.default_theme", "dark"));
        JsonNode element = new ObjectMapper().readTree(text(branded, ELEMENT));
        assertTrue(element.path("embedded_pages").path("welcome_url").asText().matches("branding/welcome\\.html\\?v=[0-9a-f]{12}"),
                element.toString());
        assertTrue(element.path("branding").path("auth_header_logo_url").asText().matches("branding/logo\\.png\\?v=[0-9a-f]{12}"),
                element.toString());
        assertEquals("dark", element.path("default_theme").asText());
        assertTrue(text(branded, COMPOSE).contains("- ./element-branding:/app/branding:ro"));
        assertNotEquals(plain.inputs("element"), branded.inputs("element"));
        assertEquals(plain.inputs("synapse"), branded.inputs("synapse"));

        // A new page is a new URL: browsers never keep showing the old one.
        Files.writeString(welcome, "<h1>Club, now with rules</h1>");
        JsonNode changed = new ObjectMapper().readTree(text(WantedFilesTest.wanted(Map.of("element.welcome_page",
                welcome.toString())), ELEMENT));
        assertNotEquals(element.path("embedded_pages").path("welcome_url"), changed.path("embedded_pages").path("welcome_url"));
    }
}
