package io.matrixinstall.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
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

    /**
     * Reads a key pair written by {@link #toPem}, or any key pair OpenSSL writes in its traditional form.
     * acme4j's KeyPairUtils.readKeyPair would hand back the JDK's key objects, which {@link #toPem} cannot
     * write again; BouncyCastle's converter keeps them writable.
     */
    public static KeyPair fromPem(String pem) {
        BouncyCastle.register();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            if (parser.readObject() instanceof PEMKeyPair pair) {
                return new JcaPEMKeyConverter().setProvider(BouncyCastleProvider.PROVIDER_NAME).getKeyPair(pair);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM key pair: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not a PEM key pair (expected -----BEGIN EC PRIVATE KEY----- or "
                + "-----BEGIN RSA PRIVATE KEY-----)");
    }

    /**
     * OpenSSL's traditional form ({@code -----BEGIN EC PRIVATE KEY-----}), which nginx and openssl read too.
     * EC keys must be BouncyCastle's (from {@link #create}, {@link #fromPem} or acme4j): the JDK's own EC keys
     * would be written without their curve and public key, a PEM nothing can read back.
     */
    public static String toPem(KeyPair keyPair) {
        if (keyPair.getPrivate() instanceof ECPrivateKey && !(keyPair.getPrivate() instanceof BCECPrivateKey)) {
            throw new IllegalArgumentException("cannot write a JDK EC key pair in OpenSSL's form; create account keys "
                    + "with AccountKeys.create()");
        }
        StringWriter out = new StringWriter();
        try {
            KeyPairUtils.writeKeyPair(keyPair, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
