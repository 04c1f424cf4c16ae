package io.matrixinstall.tls;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * acme4j's EC key generation asks for the "BC" security provider by name and leaves registering it to the
 * application. Added at the end of the list, so the JDK's own providers still serve everything else.
 */
final class BouncyCastle {

    private BouncyCastle() {
    }

    static synchronized void register() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }
}
