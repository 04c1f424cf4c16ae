package io.matrixinstall.host;

import org.junit.jupiter.api.AfterEach;

/** The Host contract on the machine itself. */
class LocalHostContractTest extends HostContract {
    private LocalHost host;

    @Override
    Host host() {
        if (host == null) {
            host = new LocalHost(runDir);
        }
        return host;
    }

    /** A second LocalHost in this JVM is refused as another process would be (LocalHostLockTest uses real processes). */
    @Override
    Host secondAgent() {
        return new LocalHost(runDir);
    }

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }
}
