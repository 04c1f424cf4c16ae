package io.matrixinstall.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.secrets.SecretGenerator;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tokens `token create` makes: letters and digits only, so none reads as an option when typed back. */
class RegistrationTokensTest {

    @Test
    void aNewTokenIsSixteenLettersAndDigits() {
        SecretGenerator generator = new SecretGenerator(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String value = RegistrationTokens.newValue(generator);
            assertTrue(value.matches("[A-Za-z0-9]{16}"), value);
            assertEquals(value, RegistrationTokens.checked(value));
            seen.add(value);
        }
        assertEquals(2000, seen.size(), "no value twice");
    }
}
