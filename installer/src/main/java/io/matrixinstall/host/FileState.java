package io.matrixinstall.host;

/** What a path on the host is now: kind, owner and permission bits (e.g. 0644). */
public record FileState(boolean directory, Ownership owner, int mode) {
    public static String modeString(int mode) {
        return String.format("%04o", mode);
    }
}
