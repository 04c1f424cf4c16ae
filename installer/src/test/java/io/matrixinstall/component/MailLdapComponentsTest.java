package io.matrixinstall.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** E-mail and LDAP as components: off by default, what each owns when on, what goes (and why) when off. */
class MailLdapComponentsTest {
    private static final Path BIND_PASSWORD = Path.of("/data/matrix/files/ldap_bind_password");

    @TempDir
    Path dir;

    private InstallConfig config(String... pairs) {
        Map<String, String> flags = new HashMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org"));
        for (int i = 0; i < pairs.length; i += 2) {
            flags.put(pairs[i], pairs[i + 1]);
        }
        return ConfigLoader.load(Optional.empty(), flags);
    }

    private String bindPasswordFile() throws IOException {
        Path file = dir.resolve("bind");
        Files.writeString(file, "b1nd\n");
        return file.toString();
    }

    private static List<String> names(List<Component> components) {
        return components.stream().map(Component::name).toList();
    }

    private static Optional<Leftover> leftover(Component ldap, InstallConfig config) {
        Layout layout = new Layout(config);
        return (ldap.enabled(config) ? ldap.obsolete(layout) : ldap.leftovers(layout)).stream().findFirst()
                .map(l -> l.why().isEmpty() ? l.because(ldap.disabledBecause(config)) : l);
    }

    @Test
    void offByDefaultAndOwnNothingThen() {
        InstallConfig config = config();
        assertFalse(names(Components.enabled(config)).contains("e-mail"));
        assertFalse(names(Components.enabled(config)).contains("ldap"));
        assertFalse(Components.files(new Layout(config)).stream().map(RenderedFile::path).toList().contains(BIND_PASSWORD));
        Component ldap = Components.ALL.stream().filter(c -> c.name().equals("ldap")).findFirst().orElseThrow();
        assertEquals(new Leftover(Leftover.Kind.FILE, BIND_PASSWORD, "", "", "ldap.uri is not set"), leftover(ldap, config).orElseThrow());
    }

    @Test
    void ldapWithABindDnOwnsThePasswordFileAndWithoutOneLetsItGo() throws IOException {
        Component ldap = Components.ALL.stream().filter(c -> c.name().equals("ldap")).findFirst().orElseThrow();
        InstallConfig searching = config("ldap.uri", "ldaps://ldap.example.org", "ldap.base", "dc=example,dc=org",
                "ldap.bind_dn", "cn=matrix,dc=example,dc=org", "ldap.bind_password_file", bindPasswordFile());
        RenderedFile file = Components.files(new Layout(searching)).stream().filter(f -> f.path().equals(BIND_PASSWORD))
                .findFirst().orElseThrow();
        assertEquals(0600, file.mode());
        assertEquals(java.util.Set.of("synapse"), file.services());
        assertEquals(Optional.empty(), leftover(ldap, searching));
        InstallConfig simple = config("ldap.uri", "ldaps://ldap.example.org", "ldap.base", "dc=example,dc=org");
        assertEquals("ldap.bind_dn is not set", leftover(ldap, simple).orElseThrow().why());
        assertTrue(names(Components.enabled(simple)).contains("ldap"));
    }

    @Test
    void mailIsEnabledBySmtpHostAndRendersNoFileOfItsOwn() {
        InstallConfig config = config("mail.smtp_host", "smtp.example.org", "mail.from", "chat@example.org");
        assertTrue(names(Components.enabled(config)).contains("e-mail"));
        assertEquals(Components.files(new Layout(config())), Components.files(new Layout(config)));
    }
}
