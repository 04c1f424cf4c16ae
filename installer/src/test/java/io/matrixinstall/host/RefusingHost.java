package io.matrixinstall.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A test's stand-in host that answers only what its subclass overrides: every other call of the {@link Host}
 * interface fails the test, naming what the code under test tried (so a step that touches more than the test
 * meant is caught, not silently served).
 */
public abstract class RefusingHost implements Host {

    @Override
    public ExecResult exec(Command command) {
        throw new AssertionError("unexpected command on " + name() + ": " + command.argv());
    }

    @Override
    public Optional<FileState> stat(Path path) {
        throw new AssertionError("unexpected stat on " + name() + ": " + path);
    }

    @Override
    public Optional<byte[]> read(Path path) {
        throw new AssertionError("unexpected read on " + name() + ": " + path);
    }

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        throw new AssertionError("unexpected write on " + name() + ": " + path);
    }

    @Override
    public void createDirectory(Path path, Ownership owner, int mode) {
        throw new AssertionError("unexpected directory creation on " + name() + ": " + path);
    }

    @Override
    public void setOwnerAndMode(Path path, Ownership owner, int mode) {
        throw new AssertionError("unexpected chown/chmod on " + name() + ": " + path);
    }

    @Override
    public void remove(Path path) {
        throw new AssertionError("unexpected removal on " + name() + ": " + path);
    }

    @Override
    public List<String> list(Path directory) {
        throw new AssertionError("unexpected listing on " + name() + ": " + directory);
    }

    @Override
    public HostLock lock(String command, Duration wait, Consumer<String> waiting) {
        throw new AssertionError("unexpected lock on " + name());
    }

    @Override
    public Path scratchDirectory(String name) {
        throw new AssertionError("unexpected scratch directory on " + name());
    }

    @Override
    public void removeScratchDirectory(String name) {
        throw new AssertionError("unexpected scratch directory on " + name());
    }
}
