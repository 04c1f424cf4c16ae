package io.matrixinstall.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The e-mail and LDAP sections of homeserver.yaml, and where the two passwords end up. */
class MailLdapRenderTest {
    private static final Path HOMESERVER = Path.of("/data/matrix/files/homeserver.yaml");
    private static final Path BIND_PASSWORD = Path.of("/data/matrix/files/ldap_bind_password");

    @TempDir
    Path dir;

    private Map<String, String> ldap(String password) throws IOException {
        Path file = dir.resolve("bind-" + password.length());
        Files.writeString(file, password + "\n");
        return Map.of("ldap.uri", "ldap://ldap.example.org", "ldap.base", "ou=people,dc=example,dc=org",
                "ldap.bind_dn", "cn=matrix,dc=example,dc=org", "ldap.bind_password_file", file.toString(),
                "ldap.filter", "(objectClass=inetOrgPerson)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> homeserver(WantedFiles wanted) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(new String(wanted.content(HOMESERVER), StandardCharsets.UTF_8));
    }

    @Test
    void offRendersNeitherSection() {
        WantedFiles wanted = WantedFilesTest.wanted(Map.of());
        assertNull(homeserver(wanted).get("email"));
        assertNull(homeserver(wanted).get("modules"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void mailRendersSynapsesEmailSection() throws IOException {
        Path password = dir.resolve("smtp");
        Files.writeString(password, "smtp-'pass\"word\n");
        Map<String, Object> email = (Map<String, Object>) homeserver(WantedFilesTest.wanted(Map.of(
                "mail.smtp_host", "smtp.example.org", "mail.smtp_user", "matrix", "mail.smtp_password_file", password.toString(),
                "mail.from", "Chat <chat@example.org>"))).get("email");
        assertEquals("smtp.example.org", email.get("smtp_host"));
        assertEquals(587, email.get("smtp_port"));
        assertEquals("smtp-'pass\"word", email.get("smtp_pass"));
        assertEquals(true, email.get("require_transport_security"));
        assertEquals("Chat <chat@example.org>", email.get("notif_from"));
        assertEquals("https://matrix.example.org/", email.get("client_base_url"));
        Map<String, Object> none = (Map<String, Object>) homeserver(WantedFilesTest.wanted(Map.of(
                "mail.smtp_host", "10.0.0.5", "mail.tls", "none", "mail.from", "chat@example.org"))).get("email");
        assertEquals(false, none.get("enable_tls"));
        assertEquals(25, none.get("smtp_port"));
        assertFalse(none.containsKey("smtp_user"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBindPasswordIsOnlyInItsOwnFileWhichSynapsesModuleReads() throws IOException {
        WantedFiles wanted = WantedFilesTest.wanted(ldap("b1nd-Secret"));
        List<Map<String, Object>> modules = (List<Map<String, Object>>) homeserver(wanted).get("modules");
        Map<String, Object> config = (Map<String, Object>) modules.get(0).get("config");
        assertEquals("ldap_auth_provider.LdapAuthProviderModule", modules.get(0).get("module"));
        assertEquals("/data/ldap_bind_password", config.get("bind_password_file"));
        assertEquals(Map.of("uid", "uid", "name", "cn", "mail", "mail"), config.get("attributes"));
        assertTrue(new String(wanted.content(BIND_PASSWORD), StandardCharsets.UTF_8).lines().anyMatch("b1nd-Secret"::equals));
        for (Path path : List.of(HOMESERVER, Path.of("/data/matrix/docker-compose.yml"), Path.of("/data/matrix/element-config.json"))) {
            assertFalse(new String(wanted.content(path), StandardCharsets.UTF_8).contains("b1nd-Secret"), path.toString());
        }
        // Synapse reads the file only at start: a new password recreates it.
        assertNotEquals(wanted.inputs("synapse"), WantedFilesTest.wanted(ldap("other-Secret")).inputs("synapse"));
    }
}
