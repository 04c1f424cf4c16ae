package io.matrixinstall.host;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Host contract over SSH, against a real sshd on 127.0.0.1 (this machine's files seen through it). */
class SshHostContractTest extends HostContract {
    static final int PORT = TestSshd.freePort();

    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(PORT);

    private final List<Host> opened = new ArrayList<>();
    private Host host;

    @Override
    Host host() {
        if (host == null) {
            host = secondAgent();
        }
        return host;
    }

    @Override
    Host secondAgent() {
        SshHost agent = SSHD.sshd().connect(runDir);
        opened.add(agent);
        return agent;
    }

    @AfterEach
    void close() {
        opened.forEach(Host::close);
    }
}
