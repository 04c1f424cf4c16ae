package io.matrixinstall.ops;

import io.matrixinstall.component.ComposeService;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.matrixinstall.ops.checks.CheckResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `status --json` keeps the documented shape (docs/operating.md, "status"): names, order, nulls. */
class StatusJsonTest {

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theDocumentedShape() throws Exception {
        ServiceState db = new ServiceState("db", "matrix", "c1", "running", "healthy", true, "postgres:15-alpine", "sha256:i",
                "postgres@sha256:d", "2026-11-01T00:00:00Z", "2026-11-25T00:00:00Z", 2);
        ServiceState synapse = ServiceState.missing(new ComposeService("synapse", "matrix", java.nio.file.Path.of("/x"), "matrixdotorg/synapse:latest"),
                "matrixdotorg/synapse:latest");
        StatusReport report = new StatusReport(false, List.of("services: synapse has no container"), "m.example.org",
                "example.org", "self-signed", List.of(db, synapse),
                new StatusReport.Certificate(List.of("m.example.org"), "CN=m.example.org", "2027-01-01T00:00:00Z", 37),
                new StatusReport.Disk("/data/matrix", 100L, "matrix_postgres-data", null, 5000L),
                AuditHistory.Entry.now("refresh", "ok", "no changes"), List.of(),
                List.of(new CheckResult("services", CheckResult.Status.FAIL, "synapse has no container", "run up")));
        JsonNode json = StatusReport.json().readTree(StatusReport.json().writeValueAsString(report));
        assertEquals(List.of("healthy", "problems", "domain", "server_name", "tls_mode", "services", "certificate", "disk",
                "last_update", "renewals", "checks"), fields(json));
        assertEquals(List.of("name", "project", "container_id", "state", "health", "healthy", "image", "image_id", "digest",
                "image_created", "started_at", "restart_count"), fields(json.path("services").get(0)));
        assertEquals(fields(json.path("services").get(0)), fields(json.path("services").get(1)), "missing keeps every field");
        assertEquals("missing", json.path("services").get(1).path("state").asText());
        assertEquals(true, json.path("services").get(1).path("container_id").isNull());
        assertEquals(List.of("names", "issuer", "not_after", "days_left"), fields(json.path("certificate")));
        assertEquals(List.of("base_dir", "base_dir_bytes", "database_volume", "database_volume_bytes", "free_bytes"),
                fields(json.path("disk")));
        assertEquals(true, json.path("disk").path("database_volume_bytes").isNull());
        assertEquals(List.of("when", "command", "result", "detail"), fields(json.path("last_update")));
        assertEquals(List.of("id", "status", "message", "fix"), fields(json.path("checks").get(0)));
        assertEquals("fail", json.path("checks").get(0).path("status").asText());
        assertEquals(2, json.path("services").get(0).path("restart_count").asInt());
    }

    @Test
    void theDigestIsTheOneOfTheImagesRepository() {
        assertEquals("nginx@sha256:b", StatusReader.digest("nginx:stable-alpine", "[\"other/x@sha256:a\",\"nginx@sha256:b\"]"));
        assertEquals("docker.io/library/nginx@sha256:b",
                StatusReader.digest("nginx:stable-alpine", "[\"docker.io/library/nginx@sha256:b\"]"));
        assertEquals(null, StatusReader.digest("postgres:15-alpine", "[]"), "a locally built image has none");
        assertEquals("matrixdotorg/synapse", StatusReader.repository("matrixdotorg/synapse:latest"));
        assertEquals("registry.local:5000/synapse", StatusReader.repository("registry.local:5000/synapse:v1"));
    }
}
