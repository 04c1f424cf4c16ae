package io.matrixinstall.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Answer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Question;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether each systemd unit (a schedule's timer) is enabled and active, as {@code systemctl is-enabled --quiet} and
 * {@code is-active --quiet} both exiting 0 would say, from one {@link Commands#unitStates} for all units: the unit
 * file states is-enabled accepts and the active states is-active accepts (systemd's own lists). Where systemd does
 * not run, {@code show} fails as is-active does: no unit is active.
 */
final class TimerStates implements Question<String, Boolean> {
    static final TimerStates QUESTION = new TimerStates();

    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "static", "alias", "indirect", "generated");
    private static final Set<String> ACTIVE = Set.of("active", "reloading", "refreshing");

    private TimerStates() {}

    @Override
    public Command command(List<String> units) {
        return Commands.unitStates(units);
    }

    @Override
    public Map<String, Answer<Boolean>> answers(List<String> units, ExecResult result) {
        Map<String, Answer<Boolean>> answers = new HashMap<>();
        if (!result.ok()) {
            units.forEach(unit -> answers.put(unit, Answer.of(false)));
            return answers;
        }
        Map<String, Map<String, String>> blocks = new HashMap<>();
        for (String block : result.stdout().split("\n\\s*\n")) {
            Map<String, String> properties = new HashMap<>();
            block.lines().filter(line -> line.contains("=")).forEach(line ->
                    properties.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1).strip()));
            if (properties.containsKey("Id")) {
                blocks.put(properties.get("Id"), properties);
            }
        }
        for (String unit : units) {
            Map<String, String> properties = blocks.get(unit);
            answers.put(unit, properties == null
                    ? new Answer<>(null, new HostException("systemctl show gave no state for " + unit + ": " + result.stdout().strip()))
                    : Answer.of(ENABLED.contains(properties.getOrDefault("UnitFileState", ""))
                            && ACTIVE.contains(properties.getOrDefault("ActiveState", ""))));
        }
        return answers;
    }
}
