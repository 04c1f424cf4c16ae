package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.matrixinstall.host.Answer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Both timers' state from one {@code systemctl show}, as {@code is-enabled --quiet && is-active --quiet} says it. */
class TimerStatesTest {
    private static final List<String> UNITS = List.of("matrix-install-renew.timer", "matrix-install-refresh.timer");

    @Test
    void enabledAndActiveAsSystemctlDecides() {
        ExecResult shown = new ExecResult(0, """
                Id=matrix-install-renew.timer
                ActiveState=active
                UnitFileState=enabled

                Id=matrix-install-refresh.timer
                ActiveState=inactive
                UnitFileState=enabled
                """, "");
        Map<String, Answer<Boolean>> answers = TimerStates.QUESTION.answers(UNITS, shown);
        assertTrue(answers.get(UNITS.get(0)).get());
        assertFalse(answers.get(UNITS.get(1)).get(), "enabled, not active");

        // Unit file states is-enabled accepts (systemd's list) and one it does not; a unit file missing.
        for (String state : List.of("enabled", "enabled-runtime", "static", "alias", "indirect", "generated")) {
            assertTrue(answer("ActiveState=reloading\nUnitFileState=" + state), state);
        }
        for (String state : List.of("disabled", "masked", "linked", "transient", "bad", "")) {
            assertFalse(answer("ActiveState=active\nUnitFileState=" + state), state);
        }
        assertFalse(answer("ActiveState=inactive"), "no unit file: not-found");
    }

    private static boolean answer(String properties) {
        return TimerStates.QUESTION.answers(List.of(UNITS.get(0)),
                new ExecResult(0, "Id=" + UNITS.get(0) + "\n" + properties + "\n", "")).get(UNITS.get(0)).get();
    }

    @Test
    void whereSystemdDoesNotRunNoTimerIsActive() {
        ExecResult noSystemd = new ExecResult(1, "", "System has not been booted with systemd as init system (PID 1). Can't operate.\n");
        TimerStates.QUESTION.answers(UNITS, noSystemd).values().forEach(answer -> assertFalse(answer.get()));
        // An answer that names no unit asked is no answer.
        assertThrows(HostException.class, () -> TimerStates.QUESTION.answers(UNITS, new ExecResult(0, "Id=other.timer\n", ""))
                .get(UNITS.get(0)).get());
    }

    /** On this machine, for a timer it has a unit file of: the same verdict as the two commands of before. */
    @Test
    void thisMachineAgreesWithIsEnabledAndIsActive() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemctl")), "no systemctl here");
        LocalHost host = new LocalHost();
        for (String unit : List.of("apt-daily.timer", "matrix-install-renew.timer")) {
            boolean before = host.exec(systemctl("is-enabled", unit)).ok() && host.exec(systemctl("is-active", unit)).ok();
            assertEquals(before, TimerStates.QUESTION.now(host, unit), unit);
        }
    }

    private static Command systemctl(String verb, String unit) {
        return new Command(List.of("systemctl", verb, "--quiet", unit), Optional.empty(), Map.of(), Duration.ofSeconds(30));
    }
}
