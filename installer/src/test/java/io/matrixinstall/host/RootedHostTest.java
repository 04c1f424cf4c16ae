package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.command.Commands;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A render root is only a directory: nothing of the real machine is reached through it. */
class RootedHostTest {
    @TempDir
    Path root;

    @Test
    void refusesEverythingThatWouldReachTheRealMachine() {
        Host rooted = new RootedHost(new LocalHost(), root);
        assertThrows(HostException.class, () -> rooted.exec(Commands.userId()));
        assertThrows(HostException.class, () -> rooted.execWithInput(Commands.userId(), new ByteArrayInputStream(new byte[0])));
        assertThrows(HostException.class, () -> rooted.start(Commands.dockerDialStdio()));
        assertThrows(HostException.class, () -> rooted.reach("127.0.0.1", 8008));
        assertThrows(HostException.class, () -> rooted.resolve("localhost"));
    }
}
