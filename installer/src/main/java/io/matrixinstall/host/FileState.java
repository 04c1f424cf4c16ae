package io.matrixinstall.host;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a path on the host is now, without following a link: kind, owner and permission bits (e.g. 0644), and for
 * a symbolic link what it holds, as written (relative to its directory unless absolute; its mode then says
 * nothing). Read in the same stat, so a caller can follow a path's links step by step, checking each.
 */
public record FileState(boolean directory, Ownership owner, int mode, Optional<Path> linkTarget) {
    public FileState(boolean directory, Ownership owner, int mode) {
        this(directory, owner, mode, Optional.empty());
    }

    public boolean symbolicLink() {
        return linkTarget.isPresent();
    }

    public static String modeString(int mode) {
        return String.format("%04o", mode);
    }
}
