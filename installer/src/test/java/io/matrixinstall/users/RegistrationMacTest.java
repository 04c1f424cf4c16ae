package io.matrixinstall.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistrationMacTest {
    /*
     * Synapse's docs give no digest, only the Python that makes one (admin_api/register_api): these expected
     * values are that recipe run with Python's hmac on the docs' example (nonce "thisisanonce", user
     * "pepper_roni", password "pizza", admin) and key "sharedsecret":
     * hmac.new(b"sharedsecret", b"\x00".join([nonce, user, password, b"admin"(, b"support")]), hashlib.sha1).hexdigest()
     */
    @Test
    void matchesSynapsesRecipe() {
        assertEquals("512986a21c6c3f1e6e93bbdec458e14f1cea84ae",
                RegistrationMac.of("sharedsecret", "thisisanonce", "pepper_roni", "pizza", true, Optional.empty()));
    }

    @Test
    void aUserTypeIsTheLastNulSeparatedField() {
        assertEquals("a1324d9640888f9556aa5eafa7bb256bdee7b8f1",
                RegistrationMac.of("sharedsecret", "thisisanonce", "matrix-install", "pizza", true, Optional.of("support")));
    }

    @Test
    void adminAndNotAdminDiffer() {
        assertNotEquals(RegistrationMac.of("s", "n", "u", "p", true, Optional.empty()),
                RegistrationMac.of("s", "n", "u", "p", false, Optional.empty()));
    }
}
