package io.matrixinstall.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A second agent process for the SSH lock tests: connects (port, key, known_hosts, run dir), takes the host lock,
 * says "locked HOLDER", and holds it until stdin closes, or until it is killed.
 */
public final class SshLockHolder {
    private SshLockHolder() {}

    public static void main(String[] args) throws Exception {
        SshSettings settings = new SshSettings(Optional.of(Path.of(args[1])), Path.of(args[2]), false, Path.of(args[3]));
        try (SshHost host = SshHost.connect(new SshTarget("root", "127.0.0.1", Integer.parseInt(args[0])), settings, l -> {});
                HostLock lock = host.lock("up", Duration.ZERO, line -> {})) {
            System.out.println("locked " + lock.holder());
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
