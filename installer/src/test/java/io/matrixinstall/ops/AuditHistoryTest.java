package io.matrixinstall.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.host.HostLock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditHistoryTest {
    @TempDir
    Path dir;

    @Test
    void oneJsonLinePerOperationRootOnlyNewestLast() throws Exception {
        StateDir state = new StateDir(dir.resolve("state"));
        AuditHistory history = new AuditHistory(new LocalHost(), state);
        history.append(AuditHistory.Entry.now("up", "ok", "12 change(s)"));
        history.append(new AuditHistory.Entry("2026-11-25T10:00:00Z", "update", "failed", "synapse did not become healthy\nmore",
                Map.of("synapse", new AuditHistory.ImageChange("sha256:old", "sha256:new"))));
        history.append(AuditHistory.Entry.now("stop", "no changes", ""));
        List<String> lines = Files.readAllLines(state.history());
        assertEquals(3, lines.size());
        JsonNode update = new ObjectMapper().readTree(lines.get(1));
        assertEquals("update", update.path("command").asText());
        assertEquals("synapse did not become healthy", update.path("detail").asText(), "one line");
        assertEquals("sha256:old", update.path("images").path("synapse").path("from").asText());
        assertEquals("sha256:new", update.path("images").path("synapse").path("to").asText());
        assertTrue(new ObjectMapper().readTree(lines.get(2)).path("images").isMissingNode(), "no empty fields");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.history())));
        assertEquals("update", history.last(StatusReport.UPDATES).orElseThrow().command());
        assertTrue(history.last(Set.of("refresh")).isEmpty());
    }

    /** The line is built as a tree (no bean introspection at the end of every run): byte for byte what it was. */
    @Test
    void aLineIsWhatJacksonsBeanFormOfTheEntryWas() throws Exception {
        ObjectMapper beans = new ObjectMapper();
        for (AuditHistory.Entry entry : List.of(AuditHistory.Entry.now("up", "no changes", ""),
                new AuditHistory.Entry("2026-11-25T10:00:00Z", "update", "rolled back", "synapse: \"unhealthy\" é",
                        Map.of("synapse", new AuditHistory.ImageChange("sha256:old", "sha256:new"),
                                "element", new AuditHistory.ImageChange("sha256:a", null))))) {
            assertEquals(beans.writeValueAsString(entry), entry.json());
        }
    }

    @Test
    void aDamagedLineIsSkippedAndTheHistoryStaysBounded() throws Exception {
        StateDir state = new StateDir(dir);
        Files.writeString(state.history(), "{\"when\":\"x\",\"command\":\"up\",\"result\":\"ok\"}\n{\"when\":\n");
        AuditHistory history = new AuditHistory(new LocalHost(), state);
        assertEquals(1, history.entries().size());
        for (int i = 0; i < AuditHistory.KEEP + 5; i++) {
            history.append(AuditHistory.Entry.now("start", "ok", "#" + i));
        }
        assertEquals(AuditHistory.KEEP, Files.readAllLines(state.history()).size());
        assertEquals("#" + (AuditHistory.KEEP + 4), history.entries().get(AuditHistory.KEEP - 1).detail());
    }

    @Test
    void aRefusedCommandOrADryRunLeavesNoHistoryAndEveryOneReleasesTheLock() {
        StateDir state = new StateDir(dir.resolve("state"));
        LocalHost host = new LocalHost(dir.resolve("run"));
        try (HostOperation operation = HostOperation.begin(host, state, "up", lock(host), true, line -> {})) {
            operation.failed(new PreconditionException("must run as root"));
        }
        try (HostOperation operation = HostOperation.begin(host, state, "stop", lock(host), false, line -> {})) {
            operation.succeeded(true, "stop nginx");
        }
        assertTrue(Files.notExists(state.dir()));
        try (HostOperation operation = HostOperation.begin(host, state, "stop", lock(host), true, line -> {})) {
            operation.failed(new IllegalStateException("compose failed"));
        }
        assertEquals("failed", new AuditHistory(host, state).entries().get(0).result());
        assertEquals("compose failed", new AuditHistory(host, state).entries().get(0).detail());
        lock(host).close(); // free again: each operation released it
    }

    /** The real host lock, taken at once or failing (a lock an earlier operation kept would fail here). */
    private static HostLock lock(LocalHost host) {
        return host.lock("test", java.time.Duration.ZERO, line -> {});
    }

    /** `history` prints what update-history.log said: the same line for every outcome update and refresh record. */
    @Test
    void eachEntryReadsAsOneLineInTheUpdateLogsShape() {
        String when = "2026-12-06T23:00:00Z";
        assertEquals(when + " update ok: no changes", new AuditHistory.Entry(when, "update", "ok", "no changes", null).line());
        assertEquals(when + " refresh ok: synapse sha256:0123456789ab -> sha256:ba9876543210",
                new AuditHistory.Entry(when, "refresh", "ok", "synapse sha256:0123456789ab -> sha256:ba9876543210",
                        Map.of("synapse", new AuditHistory.ImageChange("sha256:0123456789abff", "sha256:ba9876543210ff"))).line());
        assertEquals(when + " update FAILED: pull of synapse failed", new AuditHistory.Entry(when, "update", AuditHistory.FAILED,
                "pull of synapse failed\nthe registry said no", null).line());
        String rolledBack = "synapse sha256:a -> sha256:b was not healthy (timeout); previous images restored, database"
                + " untouched; healthy again on the previous release";
        assertEquals(when + " update FAILED, rolled back: " + rolledBack,
                new AuditHistory.Entry(when, "update", AuditHistory.ROLLED_BACK, rolledBack, null).line());
        assertEquals(when + " update FAILED, rolled back: " + rolledBack,
                new AuditHistory.Entry(when, "update", AuditHistory.ROLLED_BACK, "FAILED, rolled back: " + rolledBack, null).line(),
                "an entry of an earlier version, whose detail said it already, reads the same");
        assertEquals(when + " refresh FAILED, rollback FAILED: synapse sha256:a -> sha256:b: compose up failed",
                new AuditHistory.Entry(when, "refresh", AuditHistory.ROLLBACK_FAILED, "synapse sha256:a -> sha256:b: compose up failed",
                        null).line());
        assertEquals(when + " stop no changes", new AuditHistory.Entry(when, "stop", "no changes", "", null).line());
        assertEquals(when + " up ok: 12 change(s)", new AuditHistory.Entry(when, "up", "ok", "12 change(s)", null).line());
    }

    @Test
    void aLineThatIsNoEntryIsToldApartNotFatal() throws Exception {
        StateDir state = new StateDir(dir);
        String good = "{\"when\":\"2026-12-06T23:00:00Z\",\"command\":\"up\",\"result\":\"ok\"}";
        Files.writeString(state.history(), String.join("\n", good, "{\"when\":", "{\"foo\":1}", "[1,2]", "null", "42",
                "not json at all", "{\"when\":\"x\",\"command\":\"up\",\"result\":\"ok\",\"images\":7}", "") + "\n");
        List<AuditHistory.Stored> stored = new AuditHistory(new LocalHost(), state).stored();
        assertEquals(8, stored.size());
        assertEquals("2026-12-06T23:00:00Z up ok", stored.get(0).entry().orElseThrow().line());
        assertEquals(good, stored.get(0).raw());
        assertEquals(1, stored.stream().filter(s -> s.entry().isPresent()).count(), stored.toString());
        assertEquals(1, new AuditHistory(new LocalHost(), state).entries().size());
        assertTrue(new AuditHistory(new LocalHost(), new StateDir(dir.resolve("none"))).stored().isEmpty(), "no history yet");
    }
}
