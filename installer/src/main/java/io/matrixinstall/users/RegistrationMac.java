package io.matrixinstall.users;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof of Synapse's shared-secret registration: hex HMAC-SHA1 keyed with registration_shared_secret over
 * {@code nonce \0 username \0 password \0 admin|notadmin [\0 user_type]} (Synapse's admin API docs,
 * register_api). Computed here so the secret never leaves the agent.
 */
public final class RegistrationMac {
    private RegistrationMac() {}

    public static String of(String sharedSecret, String nonce, String username, String password, boolean admin,
            Optional<String> userType) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            StringBuilder content = new StringBuilder(nonce).append('\0').append(username).append('\0').append(password)
                    .append('\0').append(admin ? "admin" : "notadmin");
            userType.ifPresent(type -> content.append('\0').append(type));
            return HexFormat.of().formatHex(mac.doFinal(content.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
