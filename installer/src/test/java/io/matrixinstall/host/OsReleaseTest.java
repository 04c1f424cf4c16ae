package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OsReleaseTest {
    @Test
    void parsesQuotedAndBareValues() {
        OsRelease os = OsRelease.parse("PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nID=ubuntu\n"
                + "VERSION_CODENAME=noble\n# comment\n\nUBUNTU_CODENAME='noble'\n");
        assertEquals("ubuntu", os.id());
        assertEquals(Optional.of("noble"), os.codename());
        assertEquals("Ubuntu 24.04.1 LTS", os.prettyName());
        assertEquals("noble", os.fields().get("UBUNTU_CODENAME"));
    }

    @Test
    void missingCodenameIsEmpty() {
        assertEquals(Optional.empty(), OsRelease.parse("ID=debian\nVERSION_CODENAME=\n").codename());
    }
}
