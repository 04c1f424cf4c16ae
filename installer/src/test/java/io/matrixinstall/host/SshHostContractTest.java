package io.matrixinstall.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Host contract over SSH, against a real sshd on 127.0.0.1 (this machine's files seen through it). */
class SshHostContractTest extends HostContract {
    static final int PORT = TestSshd.freePort();

    @TempDir
    static Path sshdDir;

    static TestSshd sshd;

    private final List<Host> opened = new ArrayList<>();
    private Host host;

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
            host = secondAgent();
        }
        return host;
    }

    @Override
    Host secondAgent() {
        SshHost agent = sshd.connect(runDir);
        opened.add(agent);
        return agent;
    }

    @AfterEach
    void close() {
        opened.forEach(Host::close);
    }
}
