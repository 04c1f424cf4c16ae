package io.matrixinstall.ops.checks;

import java.util.List;
import java.util.Map;

/**
 * One check as declared in the top-level {@code healthchecks/} directory (one YAML file each): what it
 * checks, which commands run it, which probe does the work with which parameters, and how to fix a failure.
 */
public record HealthCheck(String id, String title, List<String> commands, String probe, Map<String, String> params,
        String fix) {

    public boolean runsIn(String command) {
        return commands.contains(command);
    }

    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("healthchecks/" + id + ".yaml: probe " + probe + " needs params." + name);
        }
        return value;
    }
}
