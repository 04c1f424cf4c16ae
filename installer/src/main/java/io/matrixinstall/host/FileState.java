package io.matrixinstall.host;

/**
 * What a path on the host is now, without following a link: kind, owner and permission bits (e.g. 0644).
 * {@code symbolicLink}: the path itself is a link (its mode then says nothing; {@link Host#linkTarget} says where).
 */
public record FileState(boolean directory, Ownership owner, int mode, boolean symbolicLink) {
    public FileState(boolean directory, Ownership owner, int mode) {
        this(directory, owner, mode, false);
    }

    public static String modeString(int mode) {
        return String.format("%04o", mode);
    }
}
