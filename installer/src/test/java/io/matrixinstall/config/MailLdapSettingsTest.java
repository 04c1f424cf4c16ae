package io.matrixinstall.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mail.* and ldap.*: off by default, strict one-line errors naming the key, passwords never in messages. */
class MailLdapSettingsTest {
    @TempDir
    Path dir;

    private Map<String, String> settings(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("domain", "matrix.example.org");
        values.put("email", "admin@example.org");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private String password(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file.toString();
    }

    private static String error(Map<String, String> values) {
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), values)).getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void offByDefault() {
        InstallConfig config = ConfigLoader.load(Optional.empty(), settings());
        assertEquals(Optional.empty(), MailSettings.of(config));
        assertEquals(Optional.empty(), LdapSettings.of(config));
    }

    @Test
    void mailDefaultsToStarttlsOn587AndReadsThePasswordFile() throws IOException {
        InstallConfig config = ConfigLoader.load(Optional.empty(), settings("mail.smtp_host", "smtp.example.org",
                "mail.smtp_user", "matrix", "mail.smtp_password_file", password("smtp", "pa ss:word\n"),
                "mail.from", "Club Chat <matrix@example.org>"));
        MailSettings.Mail mail = MailSettings.of(config).orElseThrow();
        assertEquals(587, mail.port());
        assertEquals(MailSettings.MailTls.STARTTLS, mail.tls());
        assertEquals("pa ss:word", mail.password());
        assertEquals("Club Chat <matrix@example.org>", mail.from());
        assertFalse(mail.toString().contains("pa ss"));
        assertEquals(465, MailSettings.of(ConfigLoader.load(Optional.empty(), settings("mail.smtp_host", "10.0.0.5",
                "mail.tls", "tls", "mail.from", "m@example.org"))).orElseThrow().port());
    }

    @Test
    void mailErrorsNameTheKey() throws IOException {
        assertTrue(error(settings("mail.from", "m@example.org")).startsWith("mail.from: has no effect without mail.smtp_host"));
        assertTrue(error(settings("mail.smtp_host", "smtp.example.org")).startsWith("mail.from: required"));
        assertTrue(error(settings("mail.smtp_host", "127.0.0.1", "mail.from", "m@example.org"))
                .startsWith("mail.smtp_host: 127.0.0.1 is the Synapse container itself"));
        assertTrue(error(settings("mail.smtp_host", "smtp.example.org", "mail.from", "m@example.org", "mail.tls", "ssl"))
                .startsWith("mail.tls: must be one of starttls, tls, none"));
        assertTrue(error(settings("mail.smtp_host", "smtp.example.org", "mail.from", "m@example.org", "mail.smtp_port", "0"))
                .startsWith("mail.smtp_port:"));
        assertTrue(error(settings("mail.smtp_host", "smtp.example.org", "mail.from", "m@example.org", "mail.smtp_user", "u"))
                .startsWith("mail.smtp_password_file: required with mail.smtp_user"));
        assertTrue(error(settings("mail.smtp_host", "smtp.example.org", "mail.from", "Bad <x>"))
                .startsWith("mail.from: not an e-mail address"));
        String twoLines = error(settings("mail.smtp_host", "smtp.example.org", "mail.from", "m@example.org",
                "mail.smtp_user", "u", "mail.smtp_password_file", password("two", "secret-one\nsecret-two\n")));
        assertTrue(twoLines.startsWith("mail.smtp_password_file: "), twoLines);
        assertFalse(twoLines.contains("secret-"), twoLines);
        assertTrue(error(settings("mail.smtp_host", "smtp.example.org", "mail.from", "m@example.org", "mail.smtp_user", "u",
                "mail.smtp_password_file", password("empty", "\n"))).startsWith("mail.smtp_password_file: "));
    }

    @Test
    void ldapReadsTheBindPasswordAndAttributes() throws IOException {
        InstallConfig config = ConfigLoader.load(Optional.empty(), settings("ldap.uri", "ldaps://ldap.example.org:636",
                "ldap.base", "ou=people,dc=example,dc=org", "ldap.bind_dn", "cn=matrix,ou=services,dc=example,dc=org",
                "ldap.bind_password_file", password("bind", "b1nd-secret\n"), "ldap.filter", "(objectClass=inetOrgPerson)",
                "ldap.attributes", "uid=uid,name=displayName,mail=mail"));
        LdapSettings.Ldap ldap = LdapSettings.of(config).orElseThrow();
        assertEquals("ldaps://ldap.example.org:636", ldap.uri());
        assertEquals("b1nd-secret", ldap.bindPassword());
        assertEquals("displayName", ldap.attributes().get("name"));
        assertFalse(ldap.toString().contains("b1nd"));
        assertEquals(Map.of("uid", "uid", "name", "cn", "mail", "mail"), LdapSettings.of(ConfigLoader.load(Optional.empty(),
                settings("ldap.uri", "ldap://10.1.2.3", "ldap.base", "dc=example,dc=org"))).orElseThrow().attributes());
    }

    @Test
    void ldapErrorsNameTheKey() throws IOException {
        assertTrue(error(settings("ldap.base", "dc=example,dc=org")).startsWith("ldap.base: has no effect without ldap.uri"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org")).startsWith("ldap.base: required"));
        assertTrue(error(settings("ldap.uri", "http://ldap.example.org", "ldap.base", "dc=x,dc=org")).startsWith("ldap.uri: must start"));
        assertTrue(error(settings("ldap.uri", "ldap://localhost", "ldap.base", "dc=x,dc=org")).startsWith("ldap.uri: localhost is"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org/dc=x", "ldap.base", "dc=x,dc=org")).startsWith("ldap.uri: expected"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org", "ldap.base", "not a dn")).startsWith("ldap.base: not a distinguished"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org", "ldap.base", "dc=x,dc=org", "ldap.bind_dn", "cn=a,dc=x,dc=org"))
                .startsWith("ldap.bind_password_file: required with ldap.bind_dn"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org", "ldap.base", "dc=x,dc=org", "ldap.filter", "(a=b)"))
                .startsWith("ldap.filter: needs ldap.bind_dn"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org", "ldap.base", "dc=x,dc=org", "ldap.attributes", "uid=uid"))
                .startsWith("ldap.attributes: expected uid=ATTR,name=ATTR,mail=ATTR"));
        assertTrue(error(settings("ldap.uri", "ldap://ldap.example.org", "ldap.base", "dc=x,dc=org", "ldap.bind_dn", "cn=a,dc=x,dc=org",
                "ldap.bind_password_file", password("bind", "p"), "ldap.filter", "(a=b"))
                .startsWith("ldap.filter: not one parenthesised"));
    }

    @Test
    void aSectionTheProductRendersCannotAlsoComeFromExtraConfig() throws IOException {
        Path extra = dir.resolve("extra.yaml");
        Files.writeString(extra, "modules: []\nemail:\n  smtp_host: other\n");
        assertTrue(error(settings("synapse.extra_config", extra.toString(), "mail.smtp_host", "smtp.example.org",
                "mail.from", "m@example.org")).startsWith("mail.smtp_host: synapse.extra_config also sets 'email'"));
        assertTrue(error(settings("synapse.extra_config", extra.toString(), "ldap.uri", "ldap://ldap.example.org",
                "ldap.base", "dc=x,dc=org")).startsWith("ldap.uri: synapse.extra_config also sets 'modules'"));
    }
}
