package io.matrixinstall.cli;

import static io.matrixinstall.data.TestBackups.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.data.TestBackups;
import io.matrixinstall.host.SshdExtension;
import io.matrixinstall.host.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `restore --from` on the command line, locally and with --host (a real sshd on this machine): a backup directory
 * other users could have written is refused before anything in it is read; the configuration a backup recorded is
 * checked against its manifest before it is used. Every run is a --dry-run: nothing here may touch the machine.
 */
@Timeout(120)
class RestoreCliTest {
    static final int PORT = TestSshd.freePort();

    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(PORT);

    @TempDir
    Path tree;

    private Path backup(String recordedConfig) throws Exception {
        Path media = TestBackups.tar(tree.resolve("media.tar"), TestBackups.mediaSource(tree.resolve("source")), "media_store");
        return TestBackups.backup(tree.resolve("backup"), media, Map.of("install/matrix-install.yaml", recordedConfig));
    }

    /** `restore --from BACKUP --dry-run` on a host where nothing is installed, locally and over SSH. */
    private List<CliRun> restore(Path backup) {
        List<String> local = List.of("restore", "--from", backup.toString(), "--dry-run",
                "--state-dir", tree.resolve("state").toString(), "--run-dir", tree.resolve("run").toString());
        List<String> remote = new ArrayList<>(local);
        remote.addAll(List.of("--host", "root@127.0.0.1:" + PORT, "--identity", SSHD.sshd().clientKey.toString(),
                "--known-hosts", SSHD.sshd().knownHosts.toString()));
        return List.of(CliRun.of(local.toArray(String[]::new)), CliRun.of(remote.toArray(String[]::new)));
    }

    @Test
    void aBackupDirectoryOwnedByAnotherUserIsRefusedBeforeItsConfigurationIsUsed() throws Exception {
        Path backup = backup("domain: \"" + TestBackups.SERVER + "\"\nemail: \"admin@example.org\"\ntls.mode: \"none\"\n"
                + "base_dir: \"" + tree.resolve("data") + "\"\n");
        sh("chown -R 65534:65534 \"$1\"", backup.toString());
        for (CliRun run : restore(backup)) {
            assertEquals(2, run.exit(), run.toString());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().contains("--from: " + backup + " is owned by uid 65534"), run.err());
            assertFalse(Files.exists(tree.resolve("data")) || Files.exists(tree.resolve("state")), "nothing created");
        }
    }

    @Test
    void aRecordedConfigurationOfAnotherServerIsRefused() throws Exception {
        Path backup = backup("domain: \"evil.test\"\nemail: \"admin@example.org\"\ntls.mode: \"none\"\n"
                + "images.synapse: \"evil.test/synapse:planted\"\nbase_dir: \"" + tree.resolve("data") + "\"\n");
        for (CliRun run : restore(backup)) {
            assertEquals(2, run.exit(), run.toString());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().contains("the configuration recorded in " + backup + " is of server 'evil.test' but the"
                    + " backup's manifest names '" + TestBackups.SERVER + "'"), run.err());
            assertFalse(Files.exists(tree.resolve("data")) || Files.exists(tree.resolve("state")), "nothing created");
        }
    }
}
