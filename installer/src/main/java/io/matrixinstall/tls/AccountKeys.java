package io.matrixinstall.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The ACME account key: it is the account (there is no password), so it is created once, kept as PEM and
 * loaded on every renewal; a lost key means a new account, not lost certificates.
 */
public final class AccountKeys {

    private AccountKeys() {
    }

    /** A new EC P-384 key pair, acme4j's default for accounts. */
    public static KeyPair create() {
        BouncyCastle.register();
        return KeyPairUtils.createKeyPair();
    }

    /** Reads a key pair written by {@link #toPem}, or any PEM key pair OpenSSL writes in its traditional form. */
    public static KeyPair fromPem(String pem) {
        BouncyCastle.register();
        try {
            return KeyPairUtils.readKeyPair(new StringReader(pem));
        } catch (IOException | ClassCastException | NullPointerException e) {
            // acme4j casts whatever PEM object comes first to a key pair: other PEM blocks end up here too.
            throw new IllegalArgumentException("not a PEM key pair (expected -----BEGIN EC PRIVATE KEY----- or "
                    + "-----BEGIN RSA PRIVATE KEY-----)", e);
        }
    }

    public static String toPem(KeyPair keyPair) {
        StringWriter out = new StringWriter();
        try {
            KeyPairUtils.writeKeyPair(keyPair, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
