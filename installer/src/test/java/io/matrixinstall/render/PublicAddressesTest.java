package io.matrixinstall.render;

import io.matrixinstall.component.TemplateModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.RootedHost;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file that names the public address names the same one, port included. */
class PublicAddressesTest {
    static InstallConfig config(String mode, String https, String federation, String... extra) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of("domain", "matrix.example.org", "email", "a@example.org",
                "tls.mode", mode, "ports.https", https, "ports.federation", federation));
        for (int i = 0; i < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        return ConfigLoader.load(Optional.empty(), flags);
    }

    static String render(String template, InstallConfig config, boolean ipv6) {
        Map<String, Object> model = TemplateModel.of(config, new Layout(config), null, ipv6);
        return new String(new TemplateRenderer().render(template, model), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
        "self-signed, 443, 8448, https://matrix.example.org, matrix.example.org:8448, ''",
        "self-signed, 8443, 8448, https://matrix.example.org:8443, matrix.example.org:8448, :8443",
        "acme, 18243, 18248, https://matrix.example.org:18243, matrix.example.org:18248, :18243",
        "external, 8443, 8448, https://matrix.example.org, matrix.example.org:443, ''",
    })
    void baseUrlWellKnownsAndRedirectAgree(String mode, String https, String federation, String baseUrl,
            String server, String redirectPort) {
        InstallConfig config = config(mode, https, federation);
        String block = render("nginx/server.conf.ftl", config, false);
        assertTrue(block.contains("'{\"m.homeserver\": {\"base_url\": \"" + baseUrl + "\"}}'"), block);
        assertTrue(block.contains("'{\"m.server\": \"" + server + "\"}'"), block);
        if (!mode.equals("external")) {
            assertTrue(block.contains("return 301 https://$host" + redirectPort + "$request_uri;"), block);
        }
        assertTrue(render("matrix/element-config.json.ftl", config, false).contains("\"base_url\": \"" + baseUrl + "\""));
        assertTrue(render("host/delegation.txt.ftl", config, false).contains("{\"m.server\": \"" + server + "\"}"));
    }

    @Test
    void ipv6ListenersOnlyWhenTheHostHasIpv6AndHttp2WithoutTheDeprecatedListenParameter() {
        InstallConfig config = config("self-signed", "443", "8448");
        String with = render("nginx/server.conf.ftl", config, true);
        assertTrue(with.contains("    listen [::]:443 ssl;\n") && with.contains("    listen [::]:8448 ssl default_server;\n")
                && with.contains("    listen [::]:80;\n"), with);
        assertTrue(with.contains("    http2 on;\n"), with);
        assertFalse(with.contains(" http2;"), with);
        assertFalse(render("nginx/server.conf.ftl", config, false).contains("[::"));
    }

    @Test
    void externalModeListensOnLoopbackForALoopbackProxyAndAdmitsOnlyTheProxyOtherwise() {
        String loopback = render("nginx/server.conf.ftl", config("external", "443", "8448"), true);
        assertTrue(loopback.contains("    listen 127.0.0.1:80;\n    listen [::1]:80;\n"), loopback);
        assertTrue(loopback.contains("    set_real_ip_from 127.0.0.1;\n"), loopback);
        assertFalse(loopback.contains("deny all;"), loopback);

        String remote = render("nginx/server.conf.ftl",
                config("external", "443", "8448", "tls.external.trusted_proxy", "10.1.2.0/24"), false);
        assertTrue(remote.contains("    listen 80;\n"), remote);
        assertTrue(remote.contains("    allow 10.1.2.0/24;\n") && remote.contains("    deny all;\n"), remote);
        assertTrue(remote.contains("    set_real_ip_from 10.1.2.0/24;\n"), remote);
        assertTrue(remote.contains("    10.1.2.0/24 1;\n"), "only the proxy's X-Forwarded-Proto counts: " + remote);
        assertFalse(remote.contains("$proxy_add_x_forwarded_for"), "a client's own X-Forwarded-For is never passed on");
    }

    @Test
    void hostIpv6MeansTheKernelListsTheIpv6LoopbackAddress(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
            throws java.io.IOException {
        var host = new RootedHost(new LocalHost(), root);
        assertFalse(HostIpv6.available(host), "no /proc/net/if_inet6: kernel without IPv6");
        java.nio.file.Path ifInet6 = java.nio.file.Files.createDirectories(root.resolve("proc/net")).resolve("if_inet6");
        java.nio.file.Files.writeString(ifInet6, "fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n");
        assertFalse(HostIpv6.available(host), "IPv6 disabled on lo: [::1] cannot be bound");
        java.nio.file.Files.writeString(ifInet6, "00000000000000000000000000000001 01 80 10 80       lo\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertTrue(HostIpv6.available(host));
    }
}
