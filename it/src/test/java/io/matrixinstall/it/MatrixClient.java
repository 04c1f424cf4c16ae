package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the data tests do as Matrix users: register through Synapse's shared-secret admin API on loopback (nonce +
 * HMAC, as `user add` will), log in, create a room, send and read messages, upload and fetch media, read the server key.
 */
public final class MatrixClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String base;

    /** @param base e.g. https://matrix.example.org:21643 (through the proxy) or http://127.0.0.1:21608 */
    MatrixClient(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    /** Registers {@code user} (not an admin) on Synapse's loopback port; the new account's access token. */
    public static String register(int synapsePort, String sharedSecret, String user, String password) throws Exception {
        HttpClient local = HttpClient.newHttpClient();
        URI register = URI.create("http://127.0.0.1:" + synapsePort + "/_synapse/admin/v1/register");
        String nonce = JSON.readTree(local.send(HttpRequest.newBuilder(register).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("nonce").asText();
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] digest = mac.doFinal((nonce + "\0" + user + "\0" + password + "\0notadmin").getBytes(StandardCharsets.UTF_8));
        String body = JSON.writeValueAsString(Map.of("nonce", nonce, "username", user, "password", password,
                "admin", false, "mac", HexFormat.of().formatHex(digest)));
        HttpResponse<String> created = local.send(HttpRequest.newBuilder(register)
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        return JSON.readTree(created.body()).path("access_token").asText();
    }

    /**
     * Sign-up as Element does it, through the client API's user-interactive auth: the first request learns the
     * session and flows, then a registration token stage when {@code token} is given, then the dummy stage. The
     * last answer: 200 with an access token when the account was created, else the refusal.
     */
    HttpResponse<String> signUp(String user, String password, String token) throws Exception {
        HttpResponse<String> first = register(Map.of("username", user, "password", password));
        if (first.statusCode() != 401) {
            return first;
        }
        String session = JSON.readTree(first.body()).path("session").asText();
        if (token != null) {
            HttpResponse<String> tokenStage = register(Map.of("username", user, "password", password,
                    "auth", Map.of("type", "m.login.registration_token", "token", token, "session", session)));
            if (tokenStage.statusCode() != 401 || JSON.readTree(tokenStage.body()).has("errcode")) {
                return tokenStage; // refused at the token stage (or, unexpectedly, done)
            }
        }
        return register(Map.of("username", user, "password", password,
                "auth", Map.of("type", "m.login.dummy", "session", session)));
    }

    /** One request of the sign-up's user-interactive auth (POST /register with {@code body}). */
    HttpResponse<String> register(Map<String, Object> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/_matrix/client/v3/register"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A public GET (Element's files through the proxy): status and bytes. */
    HttpResponse<byte[]> fetch(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The access token, or null when the login is refused (status in the message of a failed assertion elsewhere). */
    HttpResponse<String> login(String user, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password));
        return http.send(HttpRequest.newBuilder(URI.create(base + "/_matrix/client/v3/login"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String token(String user, String password) throws Exception {
        HttpResponse<String> login = login(user, password);
        assertEquals(200, login.statusCode(), login.body());
        return JSON.readTree(login.body()).path("access_token").asText();
    }

    JsonNode post(String token, String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    JsonNode get(String token, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    String createRoom(String token) throws Exception {
        return post(token, "/_matrix/client/v3/createRoom", "{}").path("room_id").asText();
    }

    void send(String token, String room, String text) throws Exception {
        post(token, "/_matrix/client/v3/rooms/" + encode(room) + "/send/m.room.message",
                JSON.writeValueAsString(Map.of("msgtype", "m.text", "body", text)));
    }

    /** The bodies of the room's text messages, oldest first. */
    List<String> messages(String token, String room) throws Exception {
        JsonNode chunk = get(token, "/_matrix/client/v3/rooms/" + encode(room) + "/messages?dir=b&limit=100").path("chunk");
        List<String> bodies = new ArrayList<>();
        for (JsonNode event : chunk) {
            if (event.path("type").asText().equals("m.room.message")) {
                bodies.add(0, event.path("content").path("body").asText());
            }
        }
        return bodies;
    }

    /** Uploads bytes; returns the mxc:// URI. */
    String upload(String token, byte[] content) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/_matrix/media/v3/upload?filename=a.bin"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("content_uri").asText();
    }

    byte[] download(String token, String mxc) throws Exception {
        String serverAndId = mxc.substring("mxc://".length());
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base
                + "/_matrix/client/v1/media/download/" + serverAndId)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }

    /** The key ids the server publishes at /_matrix/key/v2/server, e.g. [ed25519:a_AbCd]. */
    List<String> serverKeyIds() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/_matrix/key/v2/server")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("verify_keys").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
