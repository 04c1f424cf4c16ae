package io.matrixinstall.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Another agent's one-off, created and not yet started, is never taken for one a killed agent left. */
class OneOffOwnerTest {

    @Test
    void aLiveAgentsOneOffIsNotLeftBehind() {
        OneOffOwner me = OneOffOwner.current();
        assertEquals(Optional.of(false), me.leftBehind(me.label()));
    }

    @Test
    void aOneOffOfAProcessThatIsGoneIsLeftBehind() throws Exception {
        Process process = new ProcessBuilder("sleep", "60").start();
        long start = process.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        process.destroyForcibly().waitFor();
        OneOffOwner me = OneOffOwner.current();
        String gone = new OneOffOwner(me.machine(), process.pid(), start).label();
        assertEquals(Optional.of(true), me.leftBehind(gone));
    }

    @Test
    void aReusedPidIsAnotherProcess() {
        OneOffOwner me = OneOffOwner.current();
        assertEquals(Optional.of(true), me.leftBehind(new OneOffOwner(me.machine(), me.pid(), me.startMillis() - 1000).label()));
    }

    @Test
    void anotherMachinesOrAnUnlabelledOneOffIsUndecided() {
        OneOffOwner me = OneOffOwner.current();
        assertEquals(Optional.empty(), me.leftBehind(new OneOffOwner("elsewhere:boot", me.pid(), me.startMillis()).label()));
        assertEquals(Optional.empty(), me.leftBehind(null));
        assertEquals(Optional.empty(), me.leftBehind("not/a/number"));
    }
}
