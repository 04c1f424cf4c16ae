package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `up --tls external`: behind a TLS-terminating proxy the operator runs, nginx serves the same routes as
 * plain HTTP on ports.http and has no TLS listener. This test plays the operator's proxy: it sends what
 * such a proxy forwards (Host, X-Forwarded-Proto: https).
 */
class ExternalProxyIT {
    static final String DOMAIN = "matrix.example.org";
    static final String PROJECT = "mi-external-it";
    static final int SYNAPSE = 18408;
    static final int HTTP = 18480;
    static Path tree;

    @BeforeAll
    static void install() throws Exception {
        tree = Files.createTempDirectory("matrix-install-external-it");
        Run.of(List.of("java", "-jar", Run.JAR.toString(), "up", "--tls", "external", "--pull", "never",
                "--domain", DOMAIN, "--email", "admin@example.org", "--set", "refresh.schedule=off", "--base-dir", tree + "/data/matrix",
                "--set", "proxy_dir=" + tree + "/root/nginx", "--set", "proxy_data_dir=" + tree + "/data/nginx",
                "--set", "compose.matrix_project=" + PROJECT, "--set", "compose.proxy_project=" + PROJECT + "-proxy",
                "--set", "ports.synapse=" + SYNAPSE, "--set", "ports.element=18409", "--set", "ports.http=" + HTTP,
                "--set", "ports.https=18443", "--set", "ports.federation=18448", "--timeout", "240"),
                TestEngine.environment(), 600).assertOk();
    }

    @AfterAll
    static void tearDown() {
        TestEngine.removeStacks(tree, PROJECT);
    }

    static HttpResponse<String> forwarded(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + path))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "198.51.100.7").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void matrixTrafficIsServedOverPlainHttpBehindTheOperatorsProxy() throws Exception {
        HttpResponse<String> versions = forwarded("/_matrix/client/versions");
        assertEquals(200, versions.statusCode(), versions.body());
        assertTrue(new ObjectMapper().readTree(versions.body()).path("versions").isArray());
        HttpResponse<String> wellKnown = forwarded("/.well-known/matrix/client");
        assertEquals("application/json", wellKnown.headers().firstValue("content-type").orElse(""));
        assertEquals("https://" + DOMAIN, new ObjectMapper().readTree(wellKnown.body()).path("m.homeserver")
                .path("base_url").asText());
        assertEquals(404, forwarded("/_synapse/admin/v1/server_version").statusCode());
        assertTrue(forwarded("/config.json").body().contains("\"base_url\": \"https://" + DOMAIN + "\""));
    }

    @Test
    void noTlsListenerAndNoRedirect() throws Exception {
        assertTrue(Files.readString(tree.resolve("data/nginx/user_conf.d/" + DOMAIN + ".conf")).lines()
                .noneMatch(line -> line.contains(" ssl")), "external mode renders no TLS listener");
        String sockets = Run.of(List.of("ss", "-H", "-l", "-t", "-n")).assertOk().stdout();
        assertTrue(sockets.contains(":" + HTTP + " "), sockets);
        assertTrue(!sockets.contains(":18443 ") && !sockets.contains(":18448 "), sockets);
        assertEquals(200, forwarded("/_matrix/client/versions").statusCode(), "served, not redirected to https");
    }
}
