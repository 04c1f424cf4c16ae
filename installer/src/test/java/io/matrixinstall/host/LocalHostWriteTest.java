package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes into a directory another user can write (like Synapse's, owned by 991): links planted at the temp
 * name or the target name must never redirect the write, and a killed run's temp file does not stay.
 */
class LocalHostWriteTest {
    @TempDir
    Path dir;

    private final LocalHost host = new LocalHost();
    private Path victim;
    private Ownership me;

    @BeforeEach
    void victim() throws IOException {
        victim = Files.writeString(dir.resolve("victim"), "must stay as it is\n");
        me = new Ownership((Integer) Files.getAttribute(dir, "unix:uid"), (Integer) Files.getAttribute(dir, "unix:gid"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheContentWithItsModeAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("homeserver.yaml");
        host.writeAtomically(target, bytes("server_name: a\n"), me, 0600);
        host.writeAtomically(target, bytes("server_name: b\n"), me, 0640);
        assertEquals("server_name: b\n", Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "only the victim and the target");
        }
    }

    @Test
    void aLinkPlantedAtTheTempNameIsReplacedNotFollowed() throws IOException {
        Path target = dir.resolve("homeserver.yaml");
        Path temporary = LocalHost.temporaryFor(target);
        assertEquals(dir.resolve(".homeserver.yaml.matrix-install.tmp"), temporary);
        Files.createSymbolicLink(temporary, victim);
        host.writeAtomically(target, bytes("secret\n"), me, 0600);
        assertEquals("must stay as it is\n", Files.readString(victim));
        assertEquals("secret\n", Files.readString(target));
        assertFalse(Files.isSymbolicLink(target));
        assertFalse(Files.exists(temporary, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLinkAtTheTargetIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path target = dir.resolve("homeserver.yaml");
        Files.createSymbolicLink(target, victim);
        HostException refused = assertThrows(HostException.class,
                () -> host.writeAtomically(target, bytes("secret\n"), me, 0600));
        assertEquals("refusing to write " + target + ": it is a symbolic link, which could redirect root"
                + " elsewhere; remove it and run again", refused.getMessage());
        assertEquals("must stay as it is\n", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(target));
    }

    @Test
    void aTempFileLeftByAKilledRunIsRemovedByTheNextWrite() throws IOException {
        Path target = dir.resolve("element-config.json");
        Files.writeString(LocalHost.temporaryFor(target), "{\"brand\": \"half writ");
        host.writeAtomically(target, bytes("{}\n"), me, 0644);
        assertArrayEquals(bytes("{}\n"), Files.readAllBytes(target));
        assertFalse(Files.exists(LocalHost.temporaryFor(target)));
    }

    @Test
    void aLinkedFileIsNotReadThrough() throws IOException {
        Path signingKey = Files.createSymbolicLink(dir.resolve("matrix.example.org.signing.key"), victim);
        HostException refused = assertThrows(HostException.class, () -> host.read(signingKey));
        assertEquals("refusing to read " + signingKey + ": it is a symbolic link, which could redirect root"
                + " elsewhere; remove it and run again", refused.getMessage());
        assertEquals("must stay as it is\n", new String(host.read(victim).orElseThrow(), StandardCharsets.UTF_8));
        assertTrue(host.read(dir.resolve("absent")).isEmpty());
        assertTrue(host.osRelease().toString().length() > 0, "/etc/os-release, a link on Debian, is still read");
    }

    @Test
    void aDirectoryOrModeChangeThroughALinkIsRefused() throws IOException {
        Path victimDir = Files.createDirectory(dir.resolve("etc"));
        Files.setPosixFilePermissions(victimDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mediaStore = Files.createSymbolicLink(dir.resolve("media_store"), victimDir);
        HostException refused = assertThrows(HostException.class, () -> host.createDirectory(mediaStore, me, 0700));
        assertEquals("refusing to use " + mediaStore + ": it is a symbolic link, which could redirect root"
                + " elsewhere; remove it and run again", refused.getMessage());
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path linkToFile = Files.createSymbolicLink(dir.resolve("signing.key"), victim);
        assertThrows(HostException.class, () -> host.setOwnerAndMode(linkToFile, me, 0666));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(victimDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
    }
}
