package io.matrixinstall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.matrixinstall.data.TestBackups.sh;
import static io.matrixinstall.data.TestBackups.snapshot;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review, issue 14 (findings 2 and 5): what a backup directory may do to the host. Real tar archives built
 * with the system's tar, real files and owners (the tests run as root, like the agent), checked the same way
 * through every Host (LocalHost, and SshHost through a real sshd on this machine). No engine: the parts that need
 * none (verification, the media, the backup directory) run as the plan runs them.
 */
@org.junit.jupiter.api.Timeout(120)
abstract class RestoreSafetyContract {
    static final String SERVER = TestBackups.SERVER;
    static final int NOBODY = 65534;
    static final String LIVE_HOMESERVER = "server_name: \"" + SERVER + "\"\n";

    @TempDir
    Path tree;

    Path base;
    Path files;
    Path media;
    InstallConfig config;

    abstract Host host();

    @BeforeEach
    void install() throws Exception {
        base = tree.resolve("data/matrix");
        files = base.resolve("files");
        media = files.resolve("media_store");
        Files.createDirectories(media.resolve("local_content/aa"));
        Files.writeString(media.resolve("local_content/aa/existing"), "an upload of the live server");
        sh("chown -R 991:991 \"$1\"", files.toString());
        Files.writeString(files.resolve("homeserver.yaml"), LIVE_HOMESERVER);
        Files.writeString(base.resolve("docker-compose.yml"), "services: {}\n");
        config = ConfigLoader.load(Optional.empty(), Map.of("domain", SERVER, "email", "admin@example.org", "tls.mode", "none",
                "base_dir", base.toString()));
    }

    PlanContext context(boolean apply) {
        return new PlanContext(config, host(), apply ? ChangeGate.applying(line -> {}) : ChangeGate.recording(line -> {}));
    }

    // --- building backups (TestBackups) ---

    Path tar(String name, Path source, String... args) throws Exception {
        return TestBackups.tar(tree.resolve(name + ".tar"), source, args);
    }

    Path mediaSource(String name) throws Exception {
        return TestBackups.mediaSource(tree.resolve("source-" + name));
    }

    Path goodMedia() throws Exception {
        return tar("good", mediaSource("good"), "media_store");
    }

    Path backup(String name, Path mediaTar) throws Exception {
        return TestBackups.backup(tree.resolve(name), mediaTar, Map.of());
    }

    /** What the restore plan does with the media once the backup is verified (and Synapse is stopped). */
    void restoreMedia(PlanContext context, VerifyBackupStep verified) {
        MediaStagingStep staged = MediaStagingStep.fromBackup(verified);
        staged.run(context);
        new MediaPlaceStep(staged).run(context);
    }

    String refusal(Path backup) {
        String message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(backup).run(context(true)))
                .getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    // --- finding 2: what a backup's media archive may plant ---

    @Test
    void aCraftedMediaArchiveIsRefusedBeforeAnyChange() throws Exception {
        Map<String, String> before = snapshot(base);
        Path source = mediaSource("crafted");
        Path store = source.resolve("media_store");
        Files.writeString(source.resolve("homeserver.yaml"), "server_name: \"evil.test\"\nenable_registration: true\n");
        Files.writeString(source.resolve("evil"), "planted");
        sh("mknod \"$1\" c 1 3 && chmod 0666 \"$1\"", store.resolve("null").toString());
        Files.createSymbolicLink(store.resolve("local_content/link"), Path.of("/etc"));
        Files.createLink(store.resolve("local_content/hard"), store.resolve("local_content/ab/upload"));
        sh("mkfifo \"$1\"", store.resolve("fifo").toString());
        Map<String, Path> crafted = new TreeMap<>();
        crafted.put("a device node", tar("device", source, "media_store/local_content", "media_store/null"));
        crafted.put("a symbolic link", tar("symlink", source, "media_store/local_content/ab", "media_store/local_content/link"));
        crafted.put("a hard link", tar("hardlink", source, "media_store/local_content/ab", "media_store/local_content/hard"));
        crafted.put("a fifo", tar("fifo", source, "media_store/local_content/ab", "media_store/fifo"));
        crafted.put("an entry outside media_store/", tar("outside", source, "media_store/local_content", "homeserver.yaml"));
        crafted.put("a ../ entry", tar("dotdot", source, "-P", "--transform", "s,^evil$,media_store/../homeserver.yaml,",
                "media_store/local_content", "evil"));
        crafted.put("an absolute name", tar("absolute", source, "-P", "media_store/local_content", source.resolve("evil").toString()));
        for (Map.Entry<String, Path> archive : crafted.entrySet()) {
            Path backup = backup("backup-" + archive.getValue().getFileName().toString().replace(".tar", ""), archive.getValue());
            Map<String, String> backupBefore = snapshot(backup);
            String message = refusal(backup);
            assertTrue(message.contains(backup.resolve("media.tar").toString()) && message.contains("nothing was changed"),
                    archive.getKey() + ": " + message);
            assertEquals(before, snapshot(base), archive.getKey() + ": the install is unchanged");
            assertEquals(backupBefore, snapshot(backup), archive.getKey() + ": the backup is unchanged");
        }
        assertEquals(LIVE_HOMESERVER, Files.readString(files.resolve("homeserver.yaml")));
    }

    @Test
    void aSetuidFileOrSetgidDirectoryComesBackWithoutItsBitsAndOwnedBySynapse() throws Exception {
        Path source = mediaSource("setuid");
        Path upload = source.resolve("media_store/local_content/ab/upload");
        sh("chown 0:0 \"$1\" && chmod 4755 \"$1\" && chmod 2777 \"$2\" && chmod 1777 \"$3\"", upload.toString(),
                upload.getParent().toString(), source.resolve("media_store/local_content").toString());
        Path backup = backup("backup-setuid", tar("setuid", source, "media_store"));
        PlanContext context = context(true);
        VerifyBackupStep verify = new VerifyBackupStep(backup);
        verify.run(context);
        restoreMedia(context, verify);

        Path restored = media.resolve("local_content/ab/upload");
        assertEquals("the backup's upload", Files.readString(restored));
        try (Stream<Path> walk = Files.walk(media)) {
            for (Path path : walk.toList()) {
                Map<String, Object> a = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                assertEquals(0, mode & 07000, path + " keeps no setuid, setgid or sticky bit: " + Integer.toOctalString(mode));
                assertEquals(0, mode & 0022, path + " is writable by Synapse only: " + Integer.toOctalString(mode));
                assertEquals(List.of(991, 991), List.of(a.get("uid"), a.get("gid")), path.toString());
                assertTrue(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS),
                        path.toString());
            }
        }
        assertEquals(LIVE_HOMESERVER, Files.readString(files.resolve("homeserver.yaml")));
    }

    @Test
    void aPartChangedAfterItWasVerifiedIsNotUsed() throws Exception {
        Path backup = backup("backup-swapped", goodMedia());
        PlanContext context = context(true);
        VerifyBackupStep verify = new VerifyBackupStep(backup);
        verify.run(context);
        // Minutes later, between the check and the use: another archive under the same name.
        Path source = mediaSource("swapped");
        Files.writeString(source.resolve("media_store/local_content/ab/upload"), "not what was verified");
        Files.copy(tar("swapped", source, "media_store"), backup.resolve(BackupLayout.MEDIA),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> before = snapshot(media);
        RuntimeException e = assertThrows(RuntimeException.class, () -> restoreMedia(context, verify));
        assertTrue(e.getMessage().contains(backup.resolve(BackupLayout.MEDIA) + " changed after it was verified"), e.getMessage());
        assertEquals(before, snapshot(media), "the media store is as it was");
    }

    // --- finding 2: who may have written the backup directory ---

    @Test
    void aBackupDirectoryOtherUsersCouldHaveWrittenIsRefused() throws Exception {
        Path nobodys = backup("owned-by-nobody", goodMedia());
        sh("chown -R " + NOBODY + ":" + NOBODY + " \"$1\"", nobodys.toString());
        assertTrue(refusal(nobodys).contains(nobodys + " is owned by uid " + NOBODY), refusal(nobodys));

        Path open = backup("mode-0755", goodMedia());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(refusal(open).contains(open + " is root:root 0755, not 0700"), refusal(open));

        Path worldWritable = Files.createDirectories(tree.resolve("world-writable"));
        Files.setPosixFilePermissions(worldWritable, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path under = backup("world-writable/backup", goodMedia());
        assertTrue(refusal(under).contains(worldWritable + " is writable by every user"), refusal(under));

        Path othersParent = Files.createDirectories(tree.resolve("someone-elses"));
        sh("chown " + NOBODY + ":" + NOBODY + " \"$1\"", othersParent.toString());
        Path inOthers = backup("someone-elses/backup", goodMedia());
        assertTrue(refusal(inOthers).contains(othersParent + " is owned by uid " + NOBODY), refusal(inOthers));

        Path groupWritable = Files.createDirectories(tree.resolve("group-writable"));
        sh("chown 0:100 \"$1\" && chmod 0775 \"$1\"", groupWritable.toString());
        Path inGroup = backup("group-writable/backup", goodMedia());
        assertTrue(refusal(inGroup).contains(groupWritable + " is writable by group 100"), refusal(inGroup));

        Path link = tree.resolve("link-to-backup");
        Files.createSymbolicLink(link, backup("real-backup", goodMedia()));
        assertTrue(refusal(link).contains(link + " is a symbolic link"), refusal(link));
    }

    @Test
    void aRootOnlyBackupInARootOwnedStickyDirectoryIsAccepted() throws Exception {
        // Like /tmp: others may add entries of their own, but never rename or remove root's.
        Path sticky = Files.createDirectories(tree.resolve("sticky"));
        sh("chmod 1777 \"$1\"", sticky.toString());
        new VerifyBackupStep(backup("sticky/backup", goodMedia())).run(context(true));
    }

    @Test
    void theConfigurationABackupRecordedIsTakenCheckedWithoutItsImagesAndSaid() throws Exception {
        String recorded = "domain: \"" + SERVER + "\"\nemail: \"admin@example.org\"\nports.synapse: \"18008\"\n"
                + "images.synapse: \"evil.test/synapse:planted\"\n";
        Path backup = TestBackups.backup(tree.resolve("recorded"), goodMedia(), Map.of(BackupLayout.RECORDED_CONFIG, recorded));
        List<String> said = new ArrayList<>();
        Map<String, String> taken = RecordedInBackup.settings(host(), backup, VerifyBackupStep.open(host(), backup), said::add);
        assertEquals(Map.of("domain", SERVER, "email", "admin@example.org", "ports.synapse", "18008"), taken);
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).contains("(checked against its manifest): domain=" + SERVER + ", email=admin@example.org,"
                + " ports.synapse=18008; images: this agent's defaults (not the backup's images.synapse=evil.test/synapse:planted)"),
                said.get(0));

        Files.writeString(backup.resolve(BackupLayout.RECORDED_CONFIG), recorded + "base_dir: \"/etc\"\n");
        String message = assertThrows(PreconditionException.class, () -> RecordedInBackup.settings(host(), backup,
                VerifyBackupStep.open(host(), backup), said::add)).getMessage();
        assertTrue(message.endsWith(BackupLayout.RECORDED_CONFIG + " is corrupted: its SHA-256 is not the one in manifest.json;"
                + " nothing was changed"), message);
    }

    // --- finding 5: backup --to ---

    @Test
    void backupToADirectoryOtherUsersCanWriteIsRefusedAndNothingIsCreated() throws Exception {
        Path shared = Files.createDirectories(tree.resolve("shared"));
        sh("chown " + NOBODY + ":" + NOBODY + " \"$1\" && chmod 0777 \"$1\"", shared.toString());
        Path worldWritable = Files.createDirectories(tree.resolve("ww"));
        Files.setPosixFilePermissions(worldWritable, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path theirs = Files.createDirectories(tree.resolve("theirs"));
        sh("chown " + NOBODY + ":" + NOBODY + " \"$1\"", theirs.toString());
        Map<Path, String> cases = Map.of(
                shared.resolve("backup"), shared + " is owned by uid " + NOBODY,
                shared.resolve("deeper/backup"), shared + " is owned by uid " + NOBODY,
                worldWritable.resolve("backup"), worldWritable + " is writable by every user",
                theirs, theirs + " is owned by uid " + NOBODY);
        for (boolean apply : List.of(false, true)) {
            for (Map.Entry<Path, String> refused : cases.entrySet()) {
                Map<String, String> before = snapshot(tree);
                PlanContext context = context(apply);
                String message = assertThrows(PreconditionException.class, () -> new BackupStep(refused.getKey(),
                        new StateDir(tree.resolve("state")), "test").run(context)).getMessage();
                assertTrue(message.startsWith("--to: ") && message.contains(refused.getValue()), message);
                assertEquals(1, message.lines().count(), message);
                assertEquals(List.of(), context.gate().changes(), "nothing planned");
                assertEquals(before, snapshot(tree), "nothing created");
            }
        }
    }

    @Test
    void backupToARootOnlyPlaceIsPlanned() {
        PlanContext context = context(false);
        new BackupStep(tree.resolve("backups/today"), new StateDir(tree.resolve("state")), "test").run(context);
        assertTrue(context.gate().changes().get(0).startsWith("create backup directory " + tree.resolve("backups/today")),
                context.gate().changes().toString());
        assertFalse(Files.exists(tree.resolve("backups")));
    }
}
