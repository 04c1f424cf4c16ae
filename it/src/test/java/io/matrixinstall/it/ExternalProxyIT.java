package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.Host;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `up --tls external`: behind a TLS-terminating proxy the operator runs, nginx serves the same routes as
 * plain HTTP on ports.http, on loopback only (the default trusted proxy is 127.0.0.1), with no TLS listener.
 * This test plays the operator's proxy from 127.0.0.1, sending what such a proxy forwards (Host,
 * X-Forwarded-For, X-Forwarded-Proto: https), and a direct client from 127.0.0.2 that forges both headers.
 */
class ExternalProxyIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-b-external-it";
    static final int SYNAPSE = 18218;
    static final int ELEMENT = 18219;
    static final int HTTP = 18281;
    /** An address on loopback that is not the trusted proxy. */
    static final String UNTRUSTED = "127.0.0.2";
    static Agent agent;
    static Path tree;

    @BeforeAll
    static void install() throws Exception {
        agent = Agent.install(PROJECT, "matrix-install-external-it").ports(SYNAPSE, ELEMENT, HTTP, 18244, 18249);
        tree = agent.tree();
        agent.run(agent.withFlags("up", "--tls", "external", "--pull", "never", "--set", "refresh.schedule=off",
                "--timeout", "240")).assertOk();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    /** A request as the trusted proxy (this JVM, from 127.0.0.1) forwards it. */
    static HttpResponse<String> forwarded(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + path))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "198.51.100.7").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A direct client on another address that forges the proxy's headers. */
    static Run forged(String path) {
        return Run.of(List.of("curl", "-sS", "--interface", UNTRUSTED, "-H", "Host: " + DOMAIN,
                "-H", "X-Forwarded-For: 203.0.113.9", "-H", "X-Forwarded-Proto: https",
                "http://127.0.0.1:" + HTTP + path)).assertOk();
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
        assertEquals(DOMAIN + ":443", new ObjectMapper().readTree(forwarded("/.well-known/matrix/server").body())
                .path("m.server").asText());
        assertEquals(404, forwarded("/_synapse/admin/v1/server_version").statusCode());
        assertTrue(forwarded("/config.json").body().contains("\"base_url\": \"https://" + DOMAIN + "\""));
    }

    @Test
    void noTlsListenerNoRedirectAndOnlyLoopback() throws Exception {
        assertTrue(Files.readString(tree.resolve("data/nginx/user_conf.d/" + DOMAIN + ".conf")).lines()
                .noneMatch(line -> line.contains(" ssl")), "external mode renders no TLS listener");
        String sockets = Run.of(List.of("ss", "-H", "-l", "-t", "-n")).assertOk().stdout();
        assertTrue(sockets.contains("127.0.0.1:" + HTTP + " "), sockets);
        assertFalse(sockets.contains("0.0.0.0:" + HTTP + " ") || sockets.contains("*:" + HTTP + " ")
                || sockets.contains("[::]:" + HTTP + " "), "listens on loopback only: " + sockets);
        assertTrue(!sockets.contains(":18244 ") && !sockets.contains(":18249 "), sockets);
        assertEquals(200, forwarded("/_matrix/client/versions").statusCode(), "served, not redirected to https");
    }

    /** Synapse logs the client address of every request it served (`docker logs`, its access log lines). */
    @Test
    void synapseSeesTheForwardedClientOnlyWhenTheTrustedProxySentIt() throws Exception {
        String trustedProbe = "trusted-" + UUID.randomUUID();
        String forgedProbe = "forged-" + UUID.randomUUID();
        assertEquals(200, forwarded("/_matrix/client/versions?probe=" + trustedProbe).statusCode());
        assertTrue(forged("/_matrix/client/versions?probe=" + forgedProbe).stdout().contains("\"versions\""));

        String trustedLine = accessLine(trustedProbe);
        assertTrue(trustedLine.contains(" 198.51.100.7 "), trustedLine);
        String forgedLine = accessLine(forgedProbe);
        assertTrue(forgedLine.contains(" " + UNTRUSTED + " "), forgedLine);
        assertFalse(forgedLine.contains("203.0.113.9"), forgedLine);
    }

    static String accessLine(String probe) throws InterruptedException {
        String synapse = TestEngine.container(PROJECT, "synapse");
        for (int attempt = 0; attempt < 40; attempt++) {
            Run logs = TestEngine.docker("logs", synapse).assertOk();
            String line = (logs.stdout() + "\n" + logs.stderr()).lines()
                    .filter(l -> l.contains(probe) && l.contains("Processed request")).findFirst().orElse("");
            if (!line.isEmpty()) {
                return line;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Synapse logged no request with " + probe);
    }

    /**
     * What nginx passes upstream, seen by an echo in Element's place: the scheme and address the trusted
     * proxy reported, and for anyone else the scheme and address nginx really saw.
     */
    @Test
    void forwardedHeadersAreTrustedOnlyFromTheOperatorsProxy() throws Exception {
        String element = TestEngine.container(PROJECT, "element");
        TestEngine.docker("stop", element).assertOk();
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", ELEMENT), 0);
        echo.createContext("/", exchange -> {
            String probe = exchange.getRequestURI().getPath();
            seen.put(probe, exchange.getRequestHeaders().getFirst("X-Forwarded-Proto") + " "
                    + String.join(",", exchange.getRequestHeaders().getOrDefault("X-Forwarded-For", List.of())));
            byte[] body = "echo".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        try {
            assertEquals(200, forwarded("/from-proxy").statusCode());
            assertEquals("echo", forged("/from-direct-client").stdout());
            assertEquals("https 198.51.100.7", seen.get("/from-proxy"));
            assertEquals("http " + UNTRUSTED, seen.get("/from-direct-client"));
        } finally {
            echo.stop(0);
            TestEngine.docker("start", element).assertOk();
            awaitElement();
        }
    }

    /** Element back on its port, for the tests that run after this one. */
    static void awaitElement() throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                if (forwarded("/config.json").statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Element did not come back on " + ELEMENT);
    }
}
