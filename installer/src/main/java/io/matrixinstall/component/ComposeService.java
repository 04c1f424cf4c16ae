package io.matrixinstall.component;

import java.nio.file.Path;

/**
 * One service of a Compose project the agent runs.
 *
 * @param name        the service's name in its compose file (what `logs`, `start` and `stop` take)
 * @param project     the Compose project (container and volume names start with it)
 * @param composeFile the file that defines it
 * @param image       its configured image
 */
public record ComposeService(String name, String project, Path composeFile, String image) {}
