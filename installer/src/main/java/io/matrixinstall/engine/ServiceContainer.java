package io.matrixinstall.engine;

import java.util.Optional;

/**
 * One container of a compose project as the engine reports it.
 *
 * @param health "healthy", "unhealthy", "starting", or empty when the image has no health check
 * @param inputs the container's {@code org.matrix-install.inputs} label: what it was created from
 */
public record ServiceContainer(String service, String id, String imageId, boolean running, Optional<String> health,
        String startedAt, String inputs) {

    public boolean healthy() {
        return running && health.map("healthy"::equals).orElse(true);
    }
}
