package io.matrixinstall.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.component.TemplateModel;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** delegation (elsewhere, here, srv) and federation.ca_certificate, as rendered (docs/federation.md). */
class DelegationTest {
    @TempDir
    Path dir;

    static InstallConfig delegated(String delegation, String... extra) {
        String[] all = new String[extra.length + 4];
        all[0] = "server_name";
        all[1] = "example.org";
        all[2] = "delegation";
        all[3] = delegation;
        System.arraycopy(extra, 0, all, 4, extra.length);
        return PublicAddressesTest.config("acme", "443", "8448", all);
    }

    static String homeserver(InstallConfig config) {
        Map<Secret, String> values = new EnumMap<>(Secret.class);
        for (Secret secret : Secret.values()) {
            values.put(secret, "s3cret");
        }
        return new String(new TemplateRenderer().render("matrix/homeserver.yaml.ftl",
                TemplateModel.of(config, new Layout(config), new Secrets(values))), StandardCharsets.UTF_8);
    }

    @Test
    void elsewhereKeepsTheCertificateToTheDomainAndPrintsBothWays() {
        InstallConfig config = delegated("elsewhere");
        assertEquals(List.of("matrix.example.org"), config.certificateNames());
        String block = PublicAddressesTest.render("nginx/server.conf.ftl", config, false);
        assertTrue(block.contains("    server_name matrix.example.org;\n"), block);
        String text = PublicAddressesTest.render("host/delegation.txt.ftl", config, false);
        assertTrue(text.contains("https://example.org/.well-known/matrix/server"), text);
        assertTrue(text.contains("delegation: srv"), text);
    }

    @Test
    void hereServesTheServerNameWithOneCertificateForBothNames() {
        InstallConfig config = delegated("here");
        assertEquals(List.of("matrix.example.org", "example.org"), config.certificateNames());
        String block = PublicAddressesTest.render("nginx/server.conf.ftl", config, false);
        assertTrue(block.contains("    server_name matrix.example.org example.org;\n"), block);
        assertFalse(block.contains("server_name matrix.example.org;"), block);
        assertTrue(block.contains("'{\"m.server\": \"matrix.example.org:8448\"}'"), block);
        assertTrue(PublicAddressesTest.render("host/delegation.txt.ftl", config, false)
                .contains("this host serves https://example.org/.well-known/matrix/server"));
    }

    @Test
    void srvPrintsTheRecordAndCoversTheServerName() {
        InstallConfig config = delegated("srv", "ports.federation", "8449");
        assertEquals(List.of("matrix.example.org", "example.org"), config.certificateNames());
        String text = PublicAddressesTest.render("host/delegation.txt.ftl", config, false);
        assertTrue(text.contains("  _matrix-fed._tcp.example.org. SRV 10 0 8449 matrix.example.org.\n"), text);
    }

    @Test
    void srvIsRefusedForAServerNameWithAPort() {
        ConfigException e = assertThrows(ConfigException.class, () -> PublicAddressesTest.config("acme", "443", "8448",
                "server_name", "example.org:8448", "delegation", "srv"));
        assertTrue(e.getMessage().contains("srv needs a server_name without a port"), e.getMessage());
        assertThrows(ConfigException.class, () -> delegated("wellknown"));
    }

    @Test
    void federationCaCertificateBecomesSynapsesCustomCaList() throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        Path ca = Files.writeString(dir.resolve("ca.pem"), pem);
        InstallConfig config = delegated("here", "federation.ca_certificate", ca.toString());
        assertEquals(pem, config.federation().caCertificatePem());
        String homeserver = homeserver(config);
        assertTrue(homeserver.contains("federation_custom_ca_list:\n  - /data/federation-ca.pem\n"), homeserver);
        assertEquals(pem, PublicAddressesTest.render("matrix/federation-ca.pem.ftl", config, false));
        assertFalse(homeserver(delegated("here"))
                .contains("federation_custom_ca_list"));

        Path extra = Files.writeString(dir.resolve("extra.yaml"), "federation_custom_ca_list: [/data/x.pem]\n");
        ConfigException both = assertThrows(ConfigException.class, () -> delegated("here", "federation.ca_certificate",
                ca.toString(), "synapse.extra_config", extra.toString()));
        assertTrue(both.getMessage().contains("conflicts with federation_custom_ca_list"), both.getMessage());
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        assertThrows(ConfigException.class, () -> delegated("here", "federation.ca_certificate", notPem.toString()));
    }
}
