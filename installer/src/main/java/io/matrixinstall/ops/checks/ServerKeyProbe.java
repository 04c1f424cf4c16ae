package io.matrixinstall.ops.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matrixinstall.config.InstallConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a remote server does first: fetches /_matrix/key/v2/server through the federation port and verifies its
 * ed25519 signature over the canonical JSON (the object without "signatures" and "unsigned", keys sorted, no
 * whitespace) with the key the same document publishes. The JDK's own Ed25519 (Java 15+) verifies it.
 */
final class ServerKeyProbe implements Probe {
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        String skip = context.noPublicTls();
        if (skip != null) {
            return CheckResult.skip(check, skip);
        }
        InstallConfig config = context.config();
        PublicEndpoint.Response response = context.endpoint().get(config.domain(), config.ports().federation(),
                "/_matrix/key/v2/server");
        if (response.status() != 200) {
            return CheckResult.fail(check, "/_matrix/key/v2/server answers " + response.status() + " on port "
                    + config.ports().federation());
        }
        try {
            JsonNode document = new ObjectMapper().readTree(response.body());
            String message = verify(document, config.serverName(), System.currentTimeMillis());
            return message.startsWith("verified") ? CheckResult.ok(check, message) : CheckResult.fail(check, message);
        } catch (IOException e) {
            return CheckResult.fail(check, "/_matrix/key/v2/server is not JSON");
        }
    }

    /** "verified …" or what is wrong with the key document. */
    static String verify(JsonNode document, String serverName, long nowMillis) throws IOException {
        if (!serverName.equals(document.path("server_name").asText())) {
            return "the key document names server '" + document.path("server_name").asText() + "', not " + serverName;
        }
        if (document.path("valid_until_ts").asLong(0) < nowMillis) {
            return "the key document expired (valid_until_ts " + document.path("valid_until_ts").asLong(0) + ")";
        }
        JsonNode signatures = document.path("signatures").path(serverName);
        if (!signatures.isObject() || signatures.isEmpty()) {
            return "the key document carries no signature of " + serverName;
        }
        byte[] canonical = canonical(document);
        for (Map.Entry<String, JsonNode> signature : signatures.properties()) {
            JsonNode key = document.path("verify_keys").path(signature.getKey()).path("key");
            if (!signature.getKey().startsWith("ed25519:") || key.isMissingNode()) {
                continue;
            }
            if (!valid(key.asText(), signature.getValue().asText(), canonical)) {
                return "the signature " + signature.getKey() + " does not verify";
            }
            return "verified the signature of " + serverName + " with " + signature.getKey();
        }
        return "no signature by a key the document publishes";
    }

    /** The signed bytes: the object without "signatures" and "unsigned", keys sorted, no whitespace, UTF-8. */
    static byte[] canonical(JsonNode document) throws IOException {
        ObjectNode signed = document.deepCopy();
        signed.remove("signatures");
        signed.remove("unsigned");
        return CANONICAL.writeValueAsString(CANONICAL.treeToValue(signed, Map.class)).getBytes(StandardCharsets.UTF_8);
    }

    static boolean valid(String keyBase64, String signatureBase64, byte[] content) {
        try {
            byte[] raw = Base64.getDecoder().decode(keyBase64);
            byte[] spki = new byte[ED25519_SPKI.length + raw.length];
            System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
            System.arraycopy(raw, 0, spki, ED25519_SPKI.length, raw.length);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(content);
            return verifier.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
