package io.matrixinstall.data;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.SshHost;
import io.matrixinstall.host.TestSshd;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link RestoreSafetyContract} over SSH (`--host`), through a real sshd on 127.0.0.1 that sees this machine's files. */
class RestoreSafetySshTest extends RestoreSafetyContract {
    static final int PORT = 22701;

    @TempDir
    static Path sshdDir;

    static TestSshd sshd;

    private SshHost host;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = new TestSshd(sshdDir, PORT);
    }

    @AfterAll
    static void stopSshd() throws Exception {
        sshd.close();
    }

    @Override
    Host host() {
        if (host == null) {
            host = sshd.connectAsRoot(tree.resolve("run"));
        }
        return host;
    }

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }
}
