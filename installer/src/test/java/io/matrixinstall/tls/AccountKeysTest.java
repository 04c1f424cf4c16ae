package io.matrixinstall.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class AccountKeysTest {

    @Test
    void pemRoundTrip() {
        KeyPair created = AccountKeys.create();
        String pem = AccountKeys.toPem(created);

        KeyPair loaded = AccountKeys.fromPem(pem);

        assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----"), pem);
        assertArrayEquals(created.getPublic().getEncoded(), loaded.getPublic().getEncoded());
        assertArrayEquals(created.getPrivate().getEncoded(), loaded.getPrivate().getEncoded());
        assertEquals(pem, AccountKeys.toPem(loaded), "a loaded key is saved as it was");
    }

    @Test
    void rsaKeysRoundTripButJdkEcKeysAreRefusedRatherThanWrittenUnreadable() {
        KeyPair rsa = TestCertificates.rsaKey();

        assertArrayEquals(rsa.getPrivate().getEncoded(),
                AccountKeys.fromPem(AccountKeys.toPem(rsa)).getPrivate().getEncoded());
        assertThrows(IllegalArgumentException.class, () -> AccountKeys.toPem(TestCertificates.ecKey()));
    }

    @Test
    void textThatIsNoKeyPair() {
        assertThrows(IllegalArgumentException.class, () -> AccountKeys.fromPem("not a key"));
        assertThrows(IllegalArgumentException.class, () -> AccountKeys.fromPem(TestCertificates.pem(TestCertificates.CA)));
    }
}
