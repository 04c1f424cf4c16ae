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
}
