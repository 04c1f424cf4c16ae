package io.matrixinstall.host;

/** Another agent run holds the host lock; nothing was changed. The message names the holder. */
public final class HostBusyException extends HostException {
    private final String holder;

    public HostBusyException(String lockName, String holder) {
        super("another matrix-install run holds the host lock " + lockName + " (" + holder + "); nothing was changed");
        this.holder = holder;
    }

    public String holder() {
        return holder;
    }
}
