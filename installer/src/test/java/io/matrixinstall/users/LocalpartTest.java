package io.matrixinstall.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.config.ConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalpartTest {
    @ParameterizedTest
    @ValueSource(strings = {"alice", "a.b_c=d-e/f+g", "x1", "matrix-install-agent", "0x"})
    void acceptsTheSpecsCharacters(String name) {
        assertEquals("@" + name + ":example.org", Localpart.of(name, "example.org").userId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Alice|NAME: a user name may only hold a-z, 0-9 and . _ = - / + (got 'Alice')",
            "al ice|NAME: a user name may only hold a-z, 0-9 and . _ = - / + (got 'al ice')",
            "al:ice|NAME: a user name may only hold a-z, 0-9 and . _ = - / + (got 'al:ice')",
            "élise|NAME: a user name may only hold a-z, 0-9 and . _ = - / + (got 'élise')",
            "_bridge|NAME: a user name must not start with _ (reserved for application services) (got '_bridge')",
            "12345|NAME: a user name must not be only digits (reserved for guests) (got '12345')"})
    void refusesOthersInOneLine(String name, String message) {
        assertEquals(message, assertThrows(ConfigException.class, () -> Localpart.of(name, "example.org")).getMessage());
    }

    @org.junit.jupiter.api.Test
    void refusesEmptyControlCharactersAndTooLongIds() {
        assertThrows(ConfigException.class, () -> Localpart.of("", "example.org"));
        ConfigException newline = assertThrows(ConfigException.class, () -> Localpart.of("a\nb", "example.org"));
        assertEquals(1, newline.getMessage().lines().count(), newline.getMessage());
        String longest = "a".repeat(255 - "@:example.org".length());
        assertEquals(255, Localpart.of(longest, "example.org").userId().length());
        assertThrows(ConfigException.class, () -> Localpart.of(longest + "a", "example.org"));
    }

    @org.junit.jupiter.api.Test
    void takesAFullIdOfThisServerOnly() {
        assertEquals("bob", Localpart.ofNameOrId("@bob:example.org", "example.org").name());
        assertEquals("bob", Localpart.ofNameOrId("bob", "example.org").name());
        assertThrows(ConfigException.class, () -> Localpart.ofNameOrId("@bob:elsewhere.org", "example.org"));
    }
}
