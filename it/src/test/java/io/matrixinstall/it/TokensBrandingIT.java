package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Invite-only sign-up and Element's branding on a real install (real Synapse, nginx in front), seen by a Matrix
 * client through the public TLS proxy: with registration.mode token a sign-up without a token is refused, a token
 * of `token create --uses 1` lets one account in and no second, a revoked token none; Element serves the admin's
 * welcome page and logo. Then both are switched off: `up --dry-run` lists what goes, `up` removes it, a second `up`
 * has no changes, and nothing of them is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokensBrandingIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-tok-1";
    static final int HTTPS = 27043;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern CREATED = Pattern.compile("created registration token ([A-Za-z0-9._~-]+) \\((.*?)\\)(; note: .*)?");
    static final byte[] WELCOME = "<!doctype html>\n<h1>Welcome to the club</h1>\n<p>Ask an admin for an invite.</p>\n"
            .getBytes(StandardCharsets.UTF_8);
    static Agent agent;
    static Path tree;
    static Path welcome;
    static Path logo;
    static byte[] logoBytes;
    static MatrixClient matrix;

    static String[] features() {
        return new String[] {"--set", "registration.mode=token", "--set", "element.welcome_page=" + welcome,
                "--set", "element.logo=" + logo, "--set", "element.default_theme=dark"};
    }

    @BeforeAll
    static void install() throws Exception {
        // With no more settings than these an install has registration closed and no branding.
        agent = Agent.install(PROJECT, "matrix-install-tokens-it").ports(27008, 27009, 27080, HTTPS, 27048)
                .settings("--tls", "self-signed", "--pull", "never", "--set", "refresh.schedule=off", "--timeout", "240");
        tree = agent.tree();
        welcome = Files.write(tree.resolve("club-welcome.html"), WELCOME);
        // A real PNG: 1x1, as an admin's logo would be (only bigger).
        logoBytes = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        logo = Files.write(tree.resolve("club-logo.png"), logoBytes);
        agent.runWithFlags("up", features()).assertOk();
        HttpClient client = HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem")))).build();
        matrix = new MatrixClient(client, "https://" + DOMAIN + ":" + HTTPS);
    }

    @AfterAll
    static void tearDown() {
        if (agent != null) {
            agent.tearDown();
        }
    }

    static String create(String... options) {
        List<String> args = new ArrayList<>(List.of("token", "create"));
        args.addAll(List.of(options));
        Run run = agent.run(args).assertOk();
        Matcher m = CREATED.matcher(run.stdout().strip());
        assertTrue(m.matches(), run.toString());
        return m.group(1);
    }

    static void assertRefused(HttpResponse<String> response) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertFalse(JSON.readTree(response.body()).has("access_token"), response.body());
    }

    @Test
    @Order(1)
    void signUpNeedsAValidToken() throws Exception {
        // Without a token: the flows Synapse offers all need one, and the dummy stage alone does not create the account.
        HttpResponse<String> none = matrix.signUp("mallory", "mallory's pass phrase", null);
        assertRefused(none);
        assertTrue(none.body().contains("m.login.registration_token"), none.body());

        String once = create("--uses", "1", "--expires", "7d");
        HttpResponse<String> carol = matrix.signUp("carol", "carol's pass phrase", once);
        assertEquals(200, carol.statusCode(), carol.body());
        assertEquals("@carol:" + DOMAIN, JSON.readTree(carol.body()).path("user_id").asText());
        assertEquals(200, matrix.login("carol", "carol's pass phrase").statusCode());
        assertRefused(matrix.signUp("dave", "dave's pass phrase", once)); // used up

        String revoked = create();
        Run revoke = agent.run("token", "revoke", revoked).assertOk();
        assertEquals("revoked registration token " + revoked + "\n", revoke.stdout());
        assertRefused(matrix.signUp("erin", "erin's pass phrase", revoked));
        Run again = agent.run("token", "revoke", revoked);
        assertEquals(1, again.exitCode(), again.toString());
        assertEquals("matrix-install: no registration token " + revoked + " on this server (see `matrix-install token list`)\n",
                again.stderr());

        Run list = agent.run("token", "list").assertOk();
        String row = list.stdout().lines().filter(line -> line.startsWith(once + " ")).findFirst().orElse("");
        assertTrue(row.matches(Pattern.quote(once) + " +1 +0 +1 +\\S+Z +used up"), list.toString());
        assertFalse(list.stdout().contains(revoked), list.toString());
        JsonNode json = JSON.readTree(agent.run("token", "list", "--json").assertOk().stdout());
        assertEquals(1, json.path("registration_tokens").size(), json.toString());
        assertEquals(1, json.path("registration_tokens").get(0).path("completed").asInt());
    }

    @Test
    @Order(2)
    void elementServesTheAdminsWelcomePageAndLogo() throws Exception {
        HttpResponse<byte[]> config = matrix.fetch("/config.json");
        assertEquals(200, config.statusCode());
        JsonNode element = JSON.readTree(config.body());
        assertEquals("dark", element.path("default_theme").asText(), element.toString());
        String welcomeUrl = element.path("embedded_pages").path("welcome_url").asText();
        String logoUrl = element.path("branding").path("auth_header_logo_url").asText();
        assertTrue(welcomeUrl.startsWith("branding/welcome.html?v="), element.toString());
        assertTrue(logoUrl.startsWith("branding/logo.png?v="), element.toString());
        HttpResponse<byte[]> page = matrix.fetch("/" + welcomeUrl);
        assertEquals(200, page.statusCode());
        assertArrayEquals(WELCOME, page.body());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers().toString());
        HttpResponse<byte[]> image = matrix.fetch("/" + logoUrl);
        assertEquals(200, image.statusCode());
        assertArrayEquals(logoBytes, image.body());
        assertEquals("image/png", image.headers().firstValue("content-type").orElse(""));
    }

    @Test
    @Order(3)
    void switchedOffNothingIsLeft() throws Exception {
        Path branding = tree.resolve("data/matrix/element-branding");
        Run dryRun = agent.runWithFlags("up", "--dry-run").assertOk();
        String out = dryRun.stdout();
        String off = " (no element.welcome_page, element.logo or element.default_theme)";
        assertTrue(out.contains("remove " + branding.resolve("welcome.html") + off), out);
        assertTrue(out.contains("remove " + branding.resolve("logo.png") + off), out);
        assertTrue(out.contains("remove directory " + branding + off), out);
        assertTrue(out.contains("write " + tree.resolve("data/matrix/files/homeserver.yaml")), out);
        assertTrue(Files.exists(branding.resolve("welcome.html")), "a dry run changes nothing");

        agent.runWithFlags("up").assertOk();
        Run again = agent.runWithFlags("up").assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());

        assertFalse(Files.exists(branding), "the branding directory is gone");
        String homeserver = Files.readString(tree.resolve("data/matrix/files/homeserver.yaml"));
        assertTrue(homeserver.contains("enable_registration: false") && !homeserver.contains("registration_requires_token"),
                homeserver);
        String compose = Files.readString(tree.resolve("data/matrix/docker-compose.yml"));
        assertFalse(compose.contains("element-branding"), compose);
        JsonNode element = JSON.readTree(matrix.fetch("/config.json").body());
        assertTrue(element.path("embedded_pages").isMissingNode() && element.path("branding").isMissingNode()
                && element.path("default_theme").isMissingNode(), element.toString());
        // Closed: a token no longer opens the door.
        String token = create("--uses", "1");
        HttpResponse<String> closed = matrix.signUp("frank", "frank's pass phrase", token);
        assertEquals(403, closed.statusCode(), closed.body());
    }
}
