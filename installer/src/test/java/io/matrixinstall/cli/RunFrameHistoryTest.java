package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.ops.AuditHistory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history lines the frame writes for update's outcomes: its result, detail and images; a failed rollback's too. */
class RunFrameHistoryTest {
    @TempDir
    Path dir;

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "base_dir", "/nonexistent/matrix"));

    private int change(RunFrame.Work work) throws Exception {
        HostLockOptions lock = new HostLockOptions();
        lock.runDir = dir.resolve("run");
        return RunFrame.run(null, new HostOptions(), lock.runDir,
                frame -> frame.change("update", lock, new StateDir(dir.resolve("state"))).run(config, work));
    }

    private List<AuditHistory.Entry> history() {
        return new AuditHistory(new LocalHost(), new StateDir(dir.resolve("state"))).entries();
    }

    @Test
    void anUpdatesResultDetailAndImagesAreItsLine() throws Exception {
        Map<String, AuditHistory.ImageChange> images = Map.of("synapse", new AuditHistory.ImageChange("sha256:aa", "sha256:bb"));
        assertEquals(0, change(context -> Outcome.of(context).result("ok").detail("synapse sha256:aa -> sha256:bb").images(images)));
        AuditHistory.Entry entry = history().get(0);
        assertEquals("update ok: synapse sha256:aa -> sha256:bb", entry.line().substring(entry.when().length() + 1));
        assertEquals(images, entry.images());
    }

    @Test
    void aFailedRollbackIsRecordedAsOneAndLeavesByTheErrorPath() {
        IllegalStateException cause = new IllegalStateException("compose up failed\nits output");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> change(context -> {
            throw Outcome.of(context).result(AuditHistory.ROLLBACK_FAILED).detail("synapse sha256:aa -> sha256:bb: compose up failed")
                    .failed(cause);
        }));
        assertSame(cause, thrown, "the failure itself, for its one line and exit 1");
        AuditHistory.Entry entry = history().get(0);
        assertEquals("update FAILED, rollback FAILED: synapse sha256:aa -> sha256:bb: compose up failed",
                entry.line().substring(entry.when().length() + 1));
    }

    @Test
    void aFailureWithoutRollbackIsFailedWithItsFirstLine() {
        assertThrows(IllegalStateException.class, () -> change(context -> {
            throw new IllegalStateException("pull of synapse failed\nthe registry said no");
        }));
        AuditHistory.Entry entry = history().get(0);
        assertEquals("update FAILED: pull of synapse failed", entry.line().substring(entry.when().length() + 1));
    }
}
