package io.matrixinstall.host;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestSshd} for one test class, started before its tests and stopped after them:
 * {@code @RegisterExtension static final SshdExtension SSHD = new SshdExtension(PORT);}.
 */
public final class SshdExtension implements BeforeAllCallback, AfterAllCallback {
    private final int port;
    private Path dir;
    private TestSshd sshd;

    public SshdExtension(int port) {
        this.port = port;
    }

    public TestSshd sshd() {
        return sshd;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("mi-sshd");
        sshd = new TestSshd(dir, port);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        TestSshd.run("rm", "-rf", "--", dir.toString());
    }
}
