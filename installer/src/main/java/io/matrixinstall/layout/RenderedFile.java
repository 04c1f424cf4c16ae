package io.matrixinstall.layout;

import io.matrixinstall.host.Ownership;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file made from a template under templates/.
 *
 * @param template  path below templates/, e.g. {@code matrix/homeserver.yaml.ftl}
 * @param services  compose services that must restart when this file changes (bind-mounted config
 *                  is invisible to {@code compose up}, which only compares service definitions)
 */
public record RenderedFile(Path path, String template, Ownership owner, int mode, Set<String> services) {}
