package io.matrixinstall.ops.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The server key document's ed25519 signature over canonical JSON, as remote servers verify it. */
class ServerKeyProbeTest {
    static final long NOW = 1_800_000_000_000L;

    /** Signs like Synapse: canonical JSON (sorted keys, compact, UTF-8) without signatures and unsigned. */
    static JsonNode signedDocument(String server, String brand) throws Exception {
        return signedDocument(server, brand, NOW + 3600_000);
    }

    /** The same, valid until {@code until} (epoch milliseconds). */
    static JsonNode signedDocument(String server, String brand, long until) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        String key = Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        String canonical = "{\"old_verify_keys\":{},\"server_name\":\"" + server + "\",\"valid_until_ts\":" + until
                + ",\"verify_keys\":{\"ed25519:a_1\":{\"key\":\"" + key + "\"}},\"x_brand\":\"" + brand + "\"}";
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(canonical.getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().withoutPadding().encodeToString(signer.sign());
        // Served with another key order and whitespace, as a server may: verification must canonicalise.
        return new ObjectMapper().readTree("{ \"x_brand\": \"" + brand + "\", \"verify_keys\": {\"ed25519:a_1\": {\"key\": \"" + key
                + "\"}}, \"valid_until_ts\": " + until + ", \"signatures\": {\"" + server
                + "\": {\"ed25519:a_1\": \"" + signature + "\"}}, \"server_name\": \"" + server
                + "\", \"old_verify_keys\": {}, \"unsigned\": {\"x\": 1}}");
    }

    @Test
    void aGenuineSignatureVerifies() throws Exception {
        assertEquals("verified the signature of matrix.example.org with ed25519:a_1",
                ServerKeyProbe.verify(signedDocument("matrix.example.org", "Club – é"), "matrix.example.org", NOW));
    }

    @Test
    void aTamperedDocumentAnotherServerOrAnExpiredOneFails() throws Exception {
        ObjectNode tampered = (ObjectNode) signedDocument("matrix.example.org", "a");
        tampered.put("x_brand", "b");
        assertEquals("the signature ed25519:a_1 does not verify", ServerKeyProbe.verify(tampered, "matrix.example.org", NOW));
        assertTrue(ServerKeyProbe.verify(signedDocument("evil.example", "a"), "matrix.example.org", NOW)
                .startsWith("the key document names server 'evil.example'"));
        assertTrue(ServerKeyProbe.verify(signedDocument("matrix.example.org", "a"), "matrix.example.org", NOW + 7200_000)
                .startsWith("the key document expired"));
    }
}
