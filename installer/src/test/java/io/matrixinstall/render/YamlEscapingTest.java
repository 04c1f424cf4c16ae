package io.matrixinstall.render;

import io.matrixinstall.component.TemplateModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Values put into YAML stay values: whatever a secret file holds, homeserver.yaml keeps its keys. */
class YamlEscapingTest {
    /** What a tampered or mangled secret file (a restored backup, say) could hold. */
    static final String HOSTILE = "x\"\nenable_registration: true\nregistration_shared_secret: 'a' \\ # c: d\t\u2028e";
    /** Closes the quote, adds a key, and reopens it: valid YAML when pasted in unescaped. */
    static final String INJECTING = "a\"\ninjected_key: 1\nother: \"b";

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "none"));

    private Map<String, Object> homeserver(String secret) {
        return homeserver(secret, secret);
    }

    /** homeserver.yaml parsed, with {@code formSecret} as the form secret and {@code others} as every other secret. */
    private Map<String, Object> homeserver(String formSecret, String others) {
        Map<Secret, String> values = new EnumMap<>(Secret.class);
        for (Secret s : Secret.values()) {
            values.put(s, s == Secret.FORM_SECRET ? formSecret : others);
        }
        byte[] yaml = new TemplateRenderer().render("matrix/homeserver.yaml.ftl",
                TemplateModel.of(config, new Layout(config), new Secrets(values)));
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSecretHoldingQuotesNewlinesAndYamlSyntaxCannotChangeTheKeysOfHomeserverYaml() {
        Map<String, Object> plain = homeserver("abc");
        assertEquals(plain.keySet(), homeserver(INJECTING, "abc").keySet());
        assertEquals(INJECTING, homeserver(INJECTING, "abc").get("form_secret"));
        Map<String, Object> hostile = homeserver(HOSTILE);
        assertEquals(plain.keySet(), hostile.keySet());
        assertEquals(false, hostile.get("enable_registration"));
        for (String key : new String[] {"registration_shared_secret", "macaroon_secret_key", "form_secret"}) {
            assertEquals(HOSTILE, hostile.get(key), key);
        }
        Map<String, Object> args = (Map<String, Object>) ((Map<String, Object>) hostile.get("database")).get("args");
        assertEquals(((Map<String, Object>) ((Map<String, Object>) plain.get("database")).get("args")).keySet(), args.keySet());
        assertEquals(HOSTILE, args.get("password"));
    }

    @Test
    void yamlGivesBackExactlyTheStringItWasGivenWhateverItHolds() {
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (String value : new String[] {"", "plain", HOSTILE, INJECTING, "'single'", "back\\slash\\", "# comment", "key: value",
                "- item", "{flow: map}", "[1, 2]", "&anchor *alias", "!!binary x", "%TAG", "@at `tick`", "null", "true", "0x1F",
                "tab\tcr\rlf\nnul\u0000bell\u0007del\u007fnel\u0085ls\u2028ps\u2029bom\ufeff", "emoji \ud83d\ude00 ünï"}) {
            String quoted = Escapes.yaml(value);
            Map<String, Object> parsed = parser.load("key: " + quoted + "\nnext: 1\n");
            assertEquals(Map.of("key", value, "next", 1), parsed, quoted);
        }
        // Plain text comes out as ?j_string wrote it, so no file of an existing install changes for this.
        assertEquals("\"https://matrix.example.org:8448/\"", Escapes.yaml("https://matrix.example.org:8448/"));
    }

    /**
     * Every interpolation on a YAML line of a YAML template goes through yaml(), or is a number (?c). Two named
     * exceptions: synapse.extra_config, which is YAML itself (SnakeYAML's dump of what the operator gave), and the
     * PostgreSQL volume, a Compose name made of a fixed word and the major version. Comment lines may carry the domain
     * or a path, which the configuration already limits to characters without a line break.
     */
    @Test
    void everyValueInAYamlTemplateGoesThroughYaml() throws IOException {
        Pattern interpolation = Pattern.compile("\\$\\{([^}]*)}");
        Set<String> exceptions = Set.of("synapse_extra", "postgres.volume");
        int checked = 0;
        for (String template : new String[] {"matrix/homeserver.yaml.ftl", "matrix/log.config.ftl", "compose/docker-compose.yml.ftl",
                "compose/proxy-certbot.yml.ftl", "compose/proxy-nginx.yml.ftl", "host/matrix-install.yaml.ftl"}) {
            String text;
            try (InputStream in = TemplateRenderer.class.getResourceAsStream("/templates/" + template)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String line : text.lines().toList()) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                Matcher m = interpolation.matcher(line);
                while (m.find()) {
                    String expression = m.group(1);
                    boolean ok = expression.startsWith("yaml(") || expression.endsWith("?c") || exceptions.contains(expression)
                            || (template.endsWith("matrix-install.yaml.ftl") && expression.equals("key"));
                    assertTrue(ok, template + ": ${" + expression + "} in: " + line);
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "only " + checked + " interpolations found");
    }
}
