package io.matrixinstall.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.ServiceEndpoint;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Synapse's client and admin API (the admin API is not public): shared-secret registration, password login, and
 * the admin endpoints the user commands need. Every request carries a secret (a password, the registration proof,
 * an access token), so it goes only to the synapse container's own address ({@link ServiceEndpoint}), never to
 * the port published on the host's loopback: whoever binds that port while Synapse is stopped would receive them.
 * Bodies are built with Jackson; passwords and tokens travel only in bodies and headers and are never part of a
 * message.
 */
public final class SynapseApi {
    /** Synapse's listener inside its container (templates/matrix/homeserver.yaml.ftl, published as ports.synapse). */
    static final int CONTAINER_PORT = 8008;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    /** The install's Synapse, at its running container's address; fails (one line) when that container is not running. */
    public static SynapseApi of(Host host, InstallConfig config) {
        return new SynapseApi(ServiceEndpoint.reach(host, config.projects().matrix(), "synapse", CONTAINER_PORT));
    }

    private SynapseApi(InetSocketAddress address) {
        String hostPart = address.getHostString().contains(":") ? "[" + address.getHostString() + "]" : address.getHostString();
        this.base = "http://" + hostPart + ":" + address.getPort();
    }

    /** A registered or logged-in account: its id and an access token. */
    public record Session(String userId, String accessToken) {
        @Override
        public String toString() {
            return "Session[" + userId + "]";
        }
    }

    /** One account as the admin API lists it. */
    public record User(String userId, boolean admin, boolean deactivated, String userType, long creationTs) {}

    /**
     * Shared-secret registration: a fresh nonce, then the account with the HMAC of {@link RegistrationMac}. An
     * existing name is a {@link SynapseApiException} with errcode M_USER_IN_USE.
     */
    public Session register(String sharedSecret, Localpart user, String password, boolean admin, Optional<String> userType) {
        String path = "/_synapse/admin/v1/register";
        String nonce = send("registration nonce", get(path, null)).path("nonce").asText();
        ObjectNode body = json.createObjectNode().put("nonce", nonce).put("username", user.name())
                .put("password", password).put("admin", admin)
                .put("mac", RegistrationMac.of(sharedSecret, nonce, user.name(), password, admin, userType));
        userType.ifPresent(type -> body.put("user_type", type));
        JsonNode answer = send("registering " + user.userId(), post(path, null, body));
        return new Session(answer.path("user_id").asText(user.userId()), answer.path("access_token").asText());
    }

    public Session login(Localpart user, String password) {
        ObjectNode body = json.createObjectNode().put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", user.name());
        body.put("password", password).put("initial_device_display_name", "matrix-install");
        JsonNode answer = send("logging in as " + user.userId(), post("/_matrix/client/v3/login", null, body));
        return new Session(answer.path("user_id").asText(), answer.path("access_token").asText());
    }

    /** The user id the token belongs to; a {@link SynapseApiException} (401) when it is no longer valid. */
    public String whoami(String token) {
        return send("checking the service token", get("/_matrix/client/v3/account/whoami", token)).path("user_id").asText();
    }

    /** Every local account, deactivated ones included, page by page. */
    public List<User> users(String token) {
        List<User> users = new ArrayList<>();
        String from = "0";
        do {
            JsonNode page = send("listing users", get("/_synapse/admin/v2/users?guests=false&deactivated=true&limit=100&from="
                    + URLEncoder.encode(from, StandardCharsets.UTF_8), token));
            for (JsonNode u : page.path("users")) {
                users.add(new User(u.path("name").asText(), truthy(u.path("admin")), truthy(u.path("deactivated")),
                        u.path("user_type").isNull() ? "" : u.path("user_type").asText(""), u.path("creation_ts").asLong()));
            }
            from = page.hasNonNull("next_token") ? page.path("next_token").asText() : null;
        } while (from != null);
        return users;
    }

    /** The account, or empty when the server has no such user. */
    public Optional<User> user(String token, Localpart user) {
        try {
            JsonNode u = send("looking up " + user.userId(), get("/_synapse/admin/v2/users/" + encode(user.userId()), token));
            return Optional.of(new User(user.userId(), truthy(u.path("admin")), truthy(u.path("deactivated")),
                    u.path("user_type").isNull() ? "" : u.path("user_type").asText(""), u.path("creation_ts").asLong()));
        } catch (SynapseApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deactivates the account (its tokens end, it can no longer log in); its messages stay (no erase). */
    public void deactivate(String token, Localpart user) {
        send("deactivating " + user.userId(), post("/_synapse/admin/v1/deactivate/" + encode(user.userId()), token,
                json.createObjectNode().put("erase", false)));
    }

    /** A new password; every device of the account is logged out. */
    public void resetPassword(String token, Localpart user, String password) {
        send("resetting the password of " + user.userId(), post("/_synapse/admin/v1/reset_password/" + encode(user.userId()),
                token, json.createObjectNode().put("new_password", password).put("logout_devices", true)));
    }

    /**
     * A registration token as the admin API lists it (Synapse's registration_tokens API).
     *
     * @param usesAllowed how many sign-ups it allows; empty for unlimited
     * @param pending     sign-ups under way with it (they count against the uses)
     * @param completed   sign-ups done with it
     * @param expiryTime  when it stops working, in ms since the epoch; empty for never
     */
    public record RegistrationToken(String token, Optional<Integer> usesAllowed, int pending, int completed,
            Optional<Long> expiryTime) {}

    /** A new registration token of the value given ({@code registrationToken}). */
    public RegistrationToken createRegistrationToken(String token, String registrationToken, Optional<Integer> usesAllowed,
            Optional<Long> expiryTime) {
        ObjectNode body = json.createObjectNode();
        body.put("token", registrationToken);
        usesAllowed.ifPresent(uses -> body.put("uses_allowed", uses));
        expiryTime.ifPresent(expiry -> body.put("expiry_time", expiry));
        return registrationToken(send("creating a registration token", post("/_synapse/admin/v1/registration_tokens/new",
                token, body)));
    }

    public List<RegistrationToken> registrationTokens(String token) {
        List<RegistrationToken> tokens = new ArrayList<>();
        for (JsonNode t : send("listing registration tokens", get("/_synapse/admin/v1/registration_tokens", token))
                .path("registration_tokens")) {
            tokens.add(registrationToken(t));
        }
        return tokens;
    }

    /** Deletes the token (sign-ups it started and not finished fail); false when the server has no such token. */
    public boolean deleteRegistrationToken(String token, String registrationToken) {
        try {
            send("revoking the registration token", request("/_synapse/admin/v1/registration_tokens/"
                    + URLEncoder.encode(registrationToken, StandardCharsets.UTF_8), token).DELETE().build());
            return true;
        } catch (SynapseApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static RegistrationToken registrationToken(JsonNode t) {
        return new RegistrationToken(t.path("token").asText(),
                t.path("uses_allowed").isNumber() ? Optional.of(t.path("uses_allowed").asInt()) : Optional.empty(),
                t.path("pending").asInt(), t.path("completed").asInt(),
                t.path("expiry_time").isNumber() ? Optional.of(t.path("expiry_time").asLong()) : Optional.empty());
    }

    private static boolean truthy(JsonNode node) {
        return node.isBoolean() ? node.asBoolean() : node.asInt(0) != 0; // older Synapse lists 0/1
    }

    private static String encode(String userId) {
        return URLEncoder.encode(userId, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpRequest get(String path, String token) {
        return request(path, token).GET().build();
    }

    private HttpRequest post(String path, String token, JsonNode body) {
        try {
            return request(path, token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a JSON body", e);
        }
    }

    private JsonNode send(String what, HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new HostException(what + ": Synapse does not answer on " + base + " (" + e.getMessage()
                    + "); is it running? `matrix-install status`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(what + ": interrupted", e);
        }
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            body = json.createObjectNode();
        }
        if (response.statusCode() / 100 != 2) {
            throw new SynapseApiException(what, response.statusCode(), body.path("errcode").asText(""),
                    body.path("error").asText(""));
        }
        return body;
    }
}
