package io.matrixinstall.engine;

import io.matrixinstall.command.Commands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container of a compose project as the engine reports it.
 *
 * @param health "healthy", "unhealthy", "starting", or empty when the image has no health check
 * @param inputs the container's {@code org.matrix-install.inputs} label: what it was created from
 * @param status the engine's word for its state ("running", "exited", "restarting", ...)
 * @param imageReference the image it was created from, as written in the compose file
 * @param restarts how often the engine restarted it
 * @param volumes the named volume mounted at each path inside it
 * @param healthCheck its health check's test ({@code ["CMD-SHELL", "..."]}, empty for none); null when not read
 */
public record ServiceContainer(String service, String id, String imageId, boolean running, Optional<String> health,
        String startedAt, String inputs, String status, String imageReference, int restarts, Map<String, String> volumes,
        List<String> healthCheck) {
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ServiceContainer {
        volumes = Map.copyOf(volumes);
        healthCheck = healthCheck == null ? null : List.copyOf(healthCheck);
    }

    public boolean healthy() {
        return running && health.map("healthy"::equals).orElse(true);
    }

    /** The named volume mounted at {@code path} in the container, if any. */
    public Optional<String> volumeAt(String path) {
        return Optional.ofNullable(volumes.get(path));
    }

    /**
     * The containers {@code docker inspect} describes (the one reader of containers: every read of the engine's
     * containers, remembered or live, parses them here), sorted by service.
     */
    public static List<ServiceContainer> parseAll(String inspectJson) {
        List<ServiceContainer> containers = new ArrayList<>();
        parseByProject(inspectJson).values().forEach(containers::addAll);
        containers.sort(Comparator.comparing(ServiceContainer::service));
        return containers;
    }

    /** {@link #parseAll}, by compose project (the project label), each sorted by service. */
    public static Map<String, List<ServiceContainer>> parseByProject(String inspectJson) {
        JsonNode all;
        try {
            all = JSON.readTree(inspectJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("not docker inspect output: " + e.getMessage(), e);
        }
        Map<String, List<ServiceContainer>> byProject = new LinkedHashMap<>();
        for (JsonNode c : all) {
            List<ServiceContainer> containers = byProject.computeIfAbsent(
                    c.path("Config").path("Labels").path(PROJECT_LABEL).asText(""), project -> new ArrayList<>());
            JsonNode labels = c.path("Config").path("Labels");
            JsonNode state = c.path("State");
            String health = state.path("Health").path("Status").asText("");
            Map<String, String> volumes = new LinkedHashMap<>();
            for (JsonNode mount : c.path("Mounts")) {
                if (mount.path("Type").asText().equals("volume")) {
                    volumes.put(mount.path("Destination").asText(), mount.path("Name").asText());
                }
            }
            List<String> test = new ArrayList<>();
            c.path("Config").path("Healthcheck").path("Test").forEach(word -> test.add(word.asText()));
            containers.add(new ServiceContainer(labels.path(SERVICE_LABEL).asText("?"), c.path("Id").asText(),
                    c.path("Image").asText(), state.path("Running").asBoolean(),
                    health.isEmpty() ? Optional.empty() : Optional.of(health), state.path("StartedAt").asText(),
                    labels.path(Commands.INPUTS_LABEL).asText(""), state.path("Status").asText(""),
                    c.path("Config").path("Image").asText(""), c.path("RestartCount").asInt(0), volumes, test));
        }
        byProject.values().forEach(containers -> containers.sort(Comparator.comparing(ServiceContainer::service)));
        return byProject;
    }
}
