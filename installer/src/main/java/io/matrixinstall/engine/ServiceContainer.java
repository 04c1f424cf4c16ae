package io.matrixinstall.engine;

import java.util.Optional;

/**
 * One container of a compose project as the engine reports it.
 *
 * @param health "healthy", "unhealthy", "starting", or empty when the image has no health check
 */
public record ServiceContainer(String service, String id, String imageId, boolean running, Optional<String> health,
        String startedAt) {

    public boolean healthy() {
        return running && health.map("healthy"::equals).orElse(true);
    }
}
