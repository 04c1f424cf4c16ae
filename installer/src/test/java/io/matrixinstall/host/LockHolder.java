package io.matrixinstall.host;

import java.nio.file.Path;
import java.time.Duration;

/** A second process for the lock tests: takes the host lock, says "locked", holds it until stdin closes. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (HostLock lock = new LocalHost(Path.of(args[0])).lock(args[1], Duration.ZERO, line -> {})) {
            System.out.println("locked " + lock.holder());
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
