package io.matrixinstall.secrets;

/**
 * The generated secrets, each one file under the secrets directory (root:root 0600), each drawn from an alphabet
 * that a value read back from disk must keep to.
 */
public enum Secret {
    POSTGRES_PASSWORD("postgres_password", SecretGenerator.Alphabet.GENERATED),
    REGISTRATION_SHARED_SECRET("registration_shared_secret", SecretGenerator.Alphabet.GENERATED),
    /** `migrate` takes the old server's, which Synapse generated from its own, wider alphabet. */
    MACAROON_SECRET_KEY("macaroon_secret_key", SecretGenerator.Alphabet.SYNAPSE),
    FORM_SECRET("form_secret", SecretGenerator.Alphabet.GENERATED);

    private final String fileName;
    private final SecretGenerator.Alphabet alphabet;

    Secret(String fileName, SecretGenerator.Alphabet alphabet) {
        this.fileName = fileName;
        this.alphabet = alphabet;
    }

    /** The characters a value of this secret may hold, in words, for a message. */
    public String alphabet() {
        return alphabet.description();
    }

    /** Whether {@code value} (without the file's trailing newline) is one the generator, or Synapse, could make. */
    public boolean accepts(String value) {
        return alphabet.matches(value);
    }

    public String fileName() {
        return fileName;
    }
}
