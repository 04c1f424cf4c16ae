package io.matrixinstall.render;

import io.matrixinstall.component.Components;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The inputs labels: each service's changes exactly when what it reads at start changes. */
class WantedFilesTest {
    static final Map<String, String> BASE = Map.of("domain", "matrix.example.org", "email", "admin@example.org",
            "tls.mode", "self-signed");

    static WantedFiles wanted(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(BASE);
        settings.putAll(extra);
        InstallConfig config = ConfigLoader.load(Optional.empty(), settings);
        Map<Secret, String> values = new EnumMap<>(Secret.class);
        for (Secret secret : Secret.values()) {
            values.put(secret, "s3cret-" + secret.fileName());
        }
        return Components.wantedFiles(new TemplateRenderer(), config, new Layout(config), new Secrets(values), true);
    }

    @Test
    void composeFilesCarryTheLabelsTheyAreComputedFor() {
        WantedFiles wanted = wanted(Map.of());
        String compose = new String(wanted.content(java.nio.file.Path.of("/data/matrix/docker-compose.yml")), StandardCharsets.UTF_8);
        for (String service : new String[] {"db", "synapse", "element"}) {
            String label = wanted.inputs(service).orElseThrow();
            assertTrue(label.matches("sha256:[0-9a-f]{32}"), label);
            assertTrue(compose.contains("org.matrix-install.inputs: \"" + label + "\""), service);
        }
        String proxy = new String(wanted.content(java.nio.file.Path.of("/root/nginx/compose.yml")), StandardCharsets.UTF_8);
        assertTrue(proxy.contains("org.matrix-install.inputs: \"" + wanted.inputs("nginx").orElseThrow() + "\""));
        assertEquals(Optional.empty(), wanted.inputs("nosuch"));
    }

    @Test
    void aNewBrandChangesOnlyElementsLabel() {
        WantedFiles before = wanted(Map.of());
        WantedFiles after = wanted(Map.of("element.brand", "Club Chat"));
        assertNotEquals(before.inputs("element"), after.inputs("element"));
        assertEquals(before.inputs("synapse"), after.inputs("synapse"));
        assertEquals(before.inputs("db"), after.inputs("db"));
        assertEquals(before.inputs("nginx"), after.inputs("nginx"));
    }

    @Test
    void aSynapseSettingChangesOnlySynapsesLabelAndAPortChangesTheDefinition() {
        WantedFiles before = wanted(Map.of());
        WantedFiles port = wanted(Map.of("ports.synapse", "18008"));
        assertNotEquals(before.inputs("synapse"), port.inputs("synapse"));
        assertEquals(before.inputs("db"), port.inputs("db"));
    }

    @Test
    void renderingIsAPureFunction() {
        assertEquals(wanted(Map.of()).inputs("synapse"), wanted(Map.of()).inputs("synapse"));
    }
}
