package io.matrixinstall.component.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.component.tls.NginxCertbotMode.BlockState;
import io.matrixinstall.component.tls.NginxCertbotMode.Observation;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the agent may call the image's state "serving", and when its pass is over without that. */
class NginxCertbotModeTest {
    private static Observation seen(BlockState state, boolean reloaded, Long sleepingFor, Long signalled) {
        return new Observation(state, true, reloaded, Optional.ofNullable(sleepingFor), Optional.ofNullable(signalled));
    }

    @Test
    void servingNeedsTheEnabledBlockBothPortsAndAReloadAfterTheSignal() {
        assertTrue(seen(BlockState.ENABLED, true, null, null).serving());
        assertFalse(seen(BlockState.DISABLED, true, null, null).serving());
        assertFalse(seen(BlockState.ENABLED, false, 1L, 5L).serving(), "still the configuration from before the SIGHUP");
        assertFalse(new Observation(BlockState.ENABLED, false, true, Optional.empty(), Optional.empty()).serving());
    }

    @Test
    void aPassCountsAsOverOnlyWhenItsSleepBeganAfterTheSignalAndLastedTwoSeconds() {
        assertFalse(seen(BlockState.DISABLED, false, null, 30L).passEndedSinceSignal(), "the pass still runs");
        assertFalse(seen(BlockState.DISABLED, false, 100L, 30L).passEndedSinceSignal(), "a sleep from before the signal");
        assertFalse(seen(BlockState.DISABLED, false, 1L, 30L).passEndedSinceSignal(), "the reload may still be starting");
        assertTrue(seen(BlockState.DISABLED, false, 2L, 30L).passEndedSinceSignal());
        assertTrue(seen(BlockState.DISABLED, false, 5L, null).passEndedSinceSignal(), "no signal: the start's pass");
    }
}
