package io.matrixinstall.secrets;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Random values in the formats Synapse and PostgreSQL expect, from a cryptographic RNG. */
public final class SecretGenerator {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 32 characters of [A-Za-z0-9] (about 190 bits), the format ESS generates. */
    public static final int SECRET_LENGTH = 32;

    /**
     * The characters a secret on disk may hold: this generator's, or Synapse's {@code random_string_with_symbols}
     * (synapse/util/stringutils.py) for a key taken over from a server Synapse configured. Nothing YAML, a shell or
     * a URL would read specially beyond that, and never a quote, backslash, space or line break.
     */
    public enum Alphabet {
        GENERATED("[A-Za-z0-9]+", "letters and digits (A-Z, a-z, 0-9)"),
        SYNAPSE("[A-Za-z0-9.,;:^&*_+=#~@-]+", "letters, digits and .,;:^&*-_+=#~@ (what Synapse generates it from)");

        private final Pattern pattern;
        private final String description;

        Alphabet(String pattern, String description) {
            this.pattern = Pattern.compile(pattern);
            this.description = description;
        }

        boolean matches(String value) {
            return pattern.matcher(value).matches();
        }

        String description() {
            return description;
        }
    }

    private final SecureRandom random;

    public SecretGenerator(SecureRandom random) {
        this.random = random;
    }

    public SecretGenerator() {
        this(new SecureRandom());
    }

    public String alphanumeric(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    public String secret() {
        return alphanumeric(SECRET_LENGTH);
    }

    /**
     * A Synapse signing key file: {@code ed25519 a_XXXX <unpadded base64 of a 32-byte seed>}.
     * An ed25519 private key is exactly a random 32-byte seed, so no key derivation is needed here;
     * Synapse derives the public key when it loads the file.
     */
    public String signingKey() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        String keyId = "a_" + alphanumeric(4);
        return "ed25519 " + keyId + " " + Base64.getEncoder().withoutPadding().encodeToString(seed) + "\n";
    }
}
