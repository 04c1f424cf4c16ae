package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Accounts and the MAU report on a real install (real Synapse, real PostgreSQL, nginx): `up --admin` makes the
 * first admin, `user add` registers through the shared secret, the accounts log in through the public proxy,
 * list/deactivate/reset-password act through the admin API with the agent's own token, and `stats mau` (PgJDBC
 * to the db container's address) counts exactly the accounts that logged in and used the server here.
 * Logins are few on purpose: Synapse lets five per address through before rate-limiting.
 * Last, with Synapse stopped, a listener of the test's own on Synapse's published port receives no secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsersIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-users-1";
    static final int SYNAPSE = 21508;
    static final int HTTPS = 21543;
    static final ObjectMapper JSON = new ObjectMapper();
    static Agent agent;
    static Path tree;
    static HttpClient client;
    static final Map<String, String> passwords = new HashMap<>();

    /** A root-only password file, as an operator would hand it over. */
    static String passwordFile(String user, String password) throws Exception {
        passwords.put(user + "@" + password.length(), password);
        Path file = tree.resolve("pw-" + user + "-" + password.length());
        Files.writeString(file, password + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file.toString();
    }

    @BeforeAll
    static void install() throws Exception {
        // Its own host lock but for reports (`stats` takes none): other ITs run beside.
        agent = Agent.install(PROJECT, "matrix-install-users-it").ports(SYNAPSE, 21509, 21580, HTTPS, 21548)
                .ownLockFor(command -> !command.equals("stats"));
        tree = agent.tree();
        Run up = agent.runWithFlags("up", "--tls", "self-signed", "--pull", "never", "--set", "refresh.schedule=off",
                "--timeout", "240", "--admin", "founder", "--admin-password-file", passwordFile("founder", "founder's first pass phrase"));
        up.assertOk();
        assertTrue(up.stdout().contains("log in with Element at https://" + DOMAIN + ":" + HTTPS + " as @founder:" + DOMAIN),
                up.toString());
        client = HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem")))).build();
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    /** A password login through the public proxy, as a client does; the status and body. */
    static HttpResponse<String> login(String user, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password));
        return client.send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/v3/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in and makes one authenticated request through the proxy (what makes a user active); the token. */
    static String loginAndUse(String user, String password) throws Exception {
        HttpResponse<String> login = login(user, password);
        assertEquals(200, login.statusCode(), login.body());
        String token = JSON.readTree(login.body()).path("access_token").asText();
        assertEquals("@" + user + ":" + DOMAIN, whoami(token).path("user_id").asText());
        return token;
    }

    static JsonNode whoami(String token) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://" + DOMAIN + ":" + HTTPS + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("status", response.statusCode());
        return body;
    }

    /** The admin API answers only on loopback; asking whether a user is an admin needs an admin's token. */
    static HttpResponse<String> isAdmin(String token, String user) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SYNAPSE
                + "/_synapse/admin/v1/users/" + URLEncoder.encode("@" + user + ":" + DOMAIN, StandardCharsets.UTF_8) + "/admin"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void accountsFromFirstAdminToMonthlyActiveUsers() throws Exception {
        String alicePassword = "alice: correct horse battery staple";
        Run add = agent.run("user", "add", "alice", "--admin", "--password-file", passwordFile("alice", alicePassword));
        add.assertOk();
        assertEquals("added @alice:" + DOMAIN + " (admin)\n", add.stdout());

        // alice logs in through the public proxy and is an admin (the admin API lets her ask about herself).
        String alice = loginAndUse("alice", alicePassword);
        HttpResponse<String> admin = isAdmin(alice, "alice");
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(JSON.readTree(admin.body()).path("admin").asBoolean(), admin.body());

        // The same name again: one line, exit 1; --exists-ok makes it a no-op.
        Run again = agent.run("user", "add", "alice", "--password-file", passwordFile("alice", "another password entirely"));
        assertEquals(1, again.exitCode(), again.toString());
        assertEquals("matrix-install: @alice:" + DOMAIN + " already exists (--exists-ok accepts that)\n", again.stderr());
        Run existsOk = agent.run("user", "add", "alice", "--exists-ok", "--password-file", passwordFile("alice", "another password entirely"));
        existsOk.assertOk();
        assertEquals("@alice:" + DOMAIN + " already exists: no changes\n", existsOk.stdout());

        for (String name : List.of("bob", "carol", "dave")) {
            agent.run("user", "add", name, "--password-file", passwordFile(name, name + "'s pass phrase 1")).assertOk();
        }
        String bob = loginAndUse("bob", "bob's pass phrase 1");

        // list: every account, who is admin, and the agent's own support account.
        Run list = agent.run("user", "list", "--json").assertOk();
        Map<String, JsonNode> users = new HashMap<>();
        JSON.readTree(list.stdout()).path("users").forEach(u -> users.put(u.path("user_id").asText(), u));
        assertEquals(java.util.Set.of("@founder:" + DOMAIN, "@alice:" + DOMAIN, "@bob:" + DOMAIN, "@carol:" + DOMAIN,
                "@dave:" + DOMAIN, "@matrix-install-agent:" + DOMAIN), users.keySet(), list.stdout());
        assertTrue(users.get("@founder:" + DOMAIN).path("admin").asBoolean());
        assertTrue(users.get("@alice:" + DOMAIN).path("admin").asBoolean());
        assertFalse(users.get("@bob:" + DOMAIN).path("admin").asBoolean());
        assertEquals("support", users.get("@matrix-install-agent:" + DOMAIN).path("user_type").asText());
        String table = agent.run("user", "list").assertOk().stdout();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("@alice:" + DOMAIN) && l.contains(" yes ")), table);

        // deactivate: bob's token stops working and he can no longer log in; a second time changes nothing.
        assertEquals("deactivated @bob:" + DOMAIN + "\n", agent.run("user", "deactivate", "bob").assertOk().stdout());
        assertEquals(401, whoami(bob).path("status").asInt());
        assertEquals(403, login("bob", "bob's pass phrase 1").statusCode());
        assertEquals("@bob:" + DOMAIN + " is already deactivated: no changes\n",
                agent.run("user", "deactivate", "@bob:" + DOMAIN).assertOk().stdout());
        Run own = agent.run("user", "deactivate", "matrix-install-agent");
        assertEquals(2, own.exitCode(), own.toString());
        Run missing = agent.run("user", "deactivate", "zed");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertEquals(1, missing.stderr().lines().count(), missing.stderr());

        // reset-password: carol logs in with the new one.
        String carolNew = "carol's brand new pass phrase";
        agent.run("user", "reset-password", "carol", "--password-file", passwordFile("carol", carolNew)).assertOk();
        loginAndUse("carol", carolNew);

        // The agent's token lost: it logs its own account in again with the kept password (no second account).
        Path token = tree.resolve("data/matrix/secrets/service_admin_token");
        String oldToken = Files.readString(token);
        Files.delete(token);
        Run relisted = agent.run("user", "list", "--json").assertOk();
        assertEquals(6, JSON.readTree(relisted.stdout()).path("users").size(), relisted.stdout());
        assertFalse(oldToken.equals(Files.readString(token)));

        // MAU: alice, bob and carol used the server; founder, dave and the agent's support account did not count.
        // Synapse writes client IPs in batches (seconds), so poll briefly for the last one.
        JsonNode mau = null;
        for (int i = 0; i < 30; i++) {
            mau = JSON.readTree(agent.run("stats", "mau", "--json").assertOk().stdout());
            if (mau.path("monthly_active_users").asInt() == 3) {
                break;
            }
            Thread.sleep(2000);
        }
        assertEquals(3, mau.path("monthly_active_users").asInt(), mau.toString());
        assertEquals("user_ips", mau.path("source").asText());
        assertEquals(DOMAIN, mau.path("server_name").asText());
        assertTrue(agent.run("stats", "mau").assertOk().stdout().strip().endsWith(": 3"), agent.runs().get(agent.runs().size() - 1).toString());
        // A month before this install had nobody; this month's daily visits (filled every 5 min) never exceed it.
        assertEquals(0, JSON.readTree(agent.run("stats", "mau", "--month", "2020-01", "--json").assertOk().stdout())
                .path("monthly_active_users").asInt());
        int thisMonth = JSON.readTree(agent.run("stats", "mau", "--month", YearMonth.now(ZoneOffset.UTC).toString(), "--json")
                .assertOk().stdout()).path("monthly_active_users").asInt();
        assertTrue(thisMonth >= 0 && thisMonth <= 3, "this month: " + thisMonth);

        // PostgreSQL stays unpublished: no host port of the db container.
        String db = TestEngine.container(PROJECT, "db");
        assertEquals("", TestEngine.docker("port", db).assertOk().stdout().strip());

        // The agent's credentials are root-only files; no password reached argv, output or the history.
        for (String file : List.of("service_admin_password", "service_admin_token")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    tree.resolve("data/matrix/secrets/" + file))));
        }
        String history = Files.readString(TestEngine.STATE_DIR.resolve("history.jsonl"));
        assertTrue(history.contains("user add @alice:" + DOMAIN), history);
        String agentPassword = Files.readString(tree.resolve("data/matrix/secrets/service_admin_password")).strip();
        List<String> secrets = new ArrayList<>(passwords.values());
        secrets.add(agentPassword);
        for (String secret : secrets) {
            assertFalse(history.contains(secret), "history holds a password");
            for (Run run : agent.runs()) {
                assertFalse(run.stdout().contains(secret) || run.stderr().contains(secret), "a run printed a password: " + run);
            }
        }
    }

    /**
     * Synapse stopped (a crash loop, an update, `stop`): any local user may bind its published loopback port. The
     * test does, with a listener that answers like Synapse would to a stale token (401) and obliges every other
     * request (a registration nonce, a login), recording all it receives. Neither `user list` (which holds a kept
     * token and password) nor `user add` (a new password, the registration proof) may hand it anything secret.
     */
    @Test
    @Order(2)
    void aListenerOnSynapsesPortWhileSynapseIsStoppedGetsNoSecret() throws Exception {
        agent.run("user", "list").assertOk(); // the agent's own account and token exist (also when run alone)
        Path secretsDir = tree.resolve("data/matrix/secrets");
        Path tokenFile = secretsDir.resolve("service_admin_token");
        String token = Files.readString(tokenFile).strip();
        String evePassword = "eve's pass phrase for an impostor";
        List<String> secrets = List.of(token, Files.readString(secretsDir.resolve("service_admin_password")).strip(),
                Files.readString(secretsDir.resolve("registration_shared_secret")).strip(), evePassword);
        String synapse = TestEngine.container(PROJECT, "synapse");
        TestEngine.docker("stop", synapse).assertOk();
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer impostor = HttpServer.create(new InetSocketAddress("127.0.0.1", SYNAPSE), 0);
        impostor.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " authorization="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " body="
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = 401;
            String body = "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\"}";
            if (path.equals("/_synapse/admin/v1/register") && exchange.getRequestMethod().equals("GET")) {
                status = 200;
                body = "{\"nonce\":\"impostor-nonce\"}";
            } else if (path.equals("/_matrix/client/v3/login") || path.equals("/_synapse/admin/v1/register")) {
                status = 200;
                body = "{\"user_id\":\"@matrix-install-agent:" + DOMAIN + "\",\"access_token\":\"impostor-token\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        impostor.start();
        try {
            Run list = agent.run("user", "list", "--json");
            assertNothingSecret(received, secrets);
            assertEquals(1, list.exitCode(), list.toString());
            assertEquals(1, list.stderr().lines().count(), list.stderr());
            Run add = agent.run("user", "add", "eve", "--password-file", passwordFile("eve", evePassword));
            assertNothingSecret(received, secrets);
            assertEquals(1, add.exitCode(), add.toString());
            assertEquals(1, add.stderr().lines().count(), add.stderr());
            assertEquals(token, Files.readString(tokenFile).strip(), "the impostor's token replaced the agent's");
        } finally {
            impostor.stop(0);
            TestEngine.docker("start", synapse).assertOk();
        }
    }

    private static void assertNothingSecret(List<String> received, List<String> secrets) {
        for (String request : received) {
            assertTrue(request.contains(" authorization=null "), "a token went to the impostor: " + received);
            assertFalse(request.contains("\"password\"") || request.contains("\"mac\""),
                    "a password or registration proof went to the impostor: " + received);
            for (String secret : secrets) {
                assertFalse(request.contains(secret), "a secret went to the impostor: " + received);
            }
        }
    }
}
