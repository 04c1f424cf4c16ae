package io.matrixinstall.layout;

import io.matrixinstall.host.Ownership;
import java.nio.file.Path;
import java.util.Set;

/**
 * A file made from a template under templates/.
 *
 * @param template  path below templates/, e.g. {@code matrix/homeserver.yaml.ftl}
 * @param services  compose services that read this file only when they start: its content is part of
 *                  their inputs label, so a change recreates them (bind-mounted files are invisible
 *                  to {@code compose up} otherwise). nginx's server blocks are not listed: nginx reloads
 *                  them (see {@code ProxyInputs}).
 */
public record RenderedFile(Path path, String template, Ownership owner, int mode, Set<String> services) {}
