package io.matrixinstall.host;

import java.nio.file.Path;

/** Where a host keeps scratch directories (under its run directory), and who may use them: the lock's holder. */
final class ScratchSpace {
    private ScratchSpace() {
    }

    static Path root(Path runDir) {
        return runDir.resolve("scratch");
    }

    /** The directory for {@code name}; refuses a caller without the host lock and a name that could leave the root. */
    static Path directory(Path runDir, String name, boolean lockHeld) {
        if (!lockHeld) {
            throw new IllegalStateException("the scratch space belongs to the host lock's holder; take the lock first");
        }
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("not a scratch directory name: " + name);
        }
        return root(runDir).resolve(name);
    }
}
