package io.matrixinstall.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
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
}
