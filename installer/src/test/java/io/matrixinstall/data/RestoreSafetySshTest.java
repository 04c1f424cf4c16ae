package io.matrixinstall.data;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.SshHost;
import io.matrixinstall.host.SshdExtension;
import io.matrixinstall.host.TestSshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RestoreSafetyContract} over SSH (`--host`), through a real sshd on 127.0.0.1 that sees this machine's files. */
class RestoreSafetySshTest extends RestoreSafetyContract {
    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(TestSshd.freePort());

    private SshHost host;

    @Override
    Host host() {
        if (host == null) {
            host = SSHD.sshd().connectAsRoot(tree.resolve("run"));
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
