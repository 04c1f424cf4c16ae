package io.matrixinstall.ops;

import io.matrixinstall.component.ComposeService;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One service as `status` reports it (also its JSON shape: see docs/operating.md, "status").
 *
 * @param state        running, exited, created, restarting, paused, dead, or missing (no container)
 * @param health       healthy, unhealthy, starting, or none (no health check / not running); read live
 * @param digest       the image's repository digest ({@code name@sha256:…}), or null for a locally built image
 * @param imageCreated when the image was built (ISO-8601), null when unknown
 * @param startedAt    when the container last started (ISO-8601), null when missing
 */
@JsonPropertyOrder({"name", "project", "container_id", "state", "health", "healthy", "image", "image_id", "digest",
    "image_created", "started_at", "restart_count"})
public record ServiceState(
        @JsonProperty("name") String name,
        @JsonProperty("project") String project,
        @JsonProperty("container_id") String containerId,
        @JsonProperty("state") String state,
        @JsonProperty("health") String health,
        @JsonProperty("healthy") boolean healthy,
        @JsonProperty("image") String image,
        @JsonProperty("image_id") String imageId,
        @JsonProperty("digest") String digest,
        @JsonProperty("image_created") String imageCreated,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("restart_count") int restartCount) {

    static ServiceState missing(ComposeService service, String image) {
        return new ServiceState(service.name(), service.project(), null, "missing", "none", false, image, null, null,
                null, null, 0);
    }

    /** Why this service is not healthy, for the problem line; empty when it is. */
    public String problem() {
        if (healthy) {
            return "";
        }
        return switch (state) {
            case "missing" -> name + " has no container";
            case "running" -> name + " is " + health;
            default -> name + " is " + state;
        };
    }
}
