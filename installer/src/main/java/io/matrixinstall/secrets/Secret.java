package io.matrixinstall.secrets;

/**
 * The generated secrets, each one file under the secrets directory (root:root 0600), each drawn from an alphabet
 * that a value read back from disk must keep to. Each belongs to one component (its {@code secrets()}), which decides
 * when it is generated, backed up and restored.
 */
public enum Secret {
    POSTGRES_PASSWORD("postgres_password", SecretGenerator.Alphabet.GENERATED, false),
    REGISTRATION_SHARED_SECRET("registration_shared_secret", SecretGenerator.Alphabet.GENERATED, false),
    /** `migrate` takes the old server's, which Synapse generated from its own, wider alphabet. */
    MACAROON_SECRET_KEY("macaroon_secret_key", SecretGenerator.Alphabet.SYNAPSE, false),
    FORM_SECRET("form_secret", SecretGenerator.Alphabet.GENERATED, false),
    /** Shared by coturn and Synapse (turn.enabled); removed with the TURN server. */
    TURN_SHARED_SECRET("turn_shared_secret", SecretGenerator.Alphabet.GENERATED, true);

    private final String fileName;
    private final SecretGenerator.Alphabet alphabet;
    private final boolean optional;

    Secret(String fileName, SecretGenerator.Alphabet alphabet, boolean optional) {
        this.fileName = fileName;
        this.alphabet = alphabet;
        this.optional = optional;
    }

    /**
     * Whether it belongs to a component that may be off: it exists only while that is on, a backup taken without it
     * lacks it, and a lost one is simply generated anew (only files the agent renders hold it, all rewritten with the
     * new value). The others exist on every install and one that is lost stops the run ({@code SecretsGuard}).
     */
    public boolean optional() {
        return optional;
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
