package io.matrixinstall.ops.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
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

    /** The spec's canonical JSON examples (appendices) and its signing test vector, made by another implementation. */
    @Test
    void canonicalJsonAndTheSpecsTestVector() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\",\"three_pids\":"
                + "[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},"
                + "\"success\":true}}", new String(ServerKeyProbe.canonical(json.readTree("{ \"auth\": { \"success\": true, \"mxid\":"
                + " \"@john.doe:example.com\", \"profile\": { \"display_name\": \"John Doe\", \"three_pids\": [ { \"medium\": \"email\","
                + " \"address\": \"john.doe@example.org\" }, { \"medium\": \"msisdn\", \"address\": \"123456789\" } ] } } }")),
                StandardCharsets.UTF_8));
        assertEquals("{\"日\":1,\"本\":2}", new String(ServerKeyProbe.canonical(json.readTree("{\"本\": 2, \"日\": 1}")),
                StandardCharsets.UTF_8));
        assertEquals("{\"a\":\"日\",\"b\":null}", new String(ServerKeyProbe.canonical(json.readTree("{\"b\": null, \"a\": \"\\u65E5\"}")),
                StandardCharsets.UTF_8));
        // SEED, "domain", "ed25519:1" signing {"one": 1, "two": "Two"}: the signature the spec (and Synapse's signedjson) gives.
        byte[] seed = Base64.getDecoder().decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1=");
        String key = Base64.getEncoder().encodeToString(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
        byte[] signed = ServerKeyProbe.canonical(json.readTree("{\"two\": \"Two\", \"unsigned\": {\"age_ts\": 1}, \"one\": 1,"
                + " \"signatures\": {}}"));
        assertTrue(ServerKeyProbe.valid(key, "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw",
                signed));
        assertFalse(ServerKeyProbe.valid(key, "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ",
                signed), "the signature of {} does not fit");
    }
}
