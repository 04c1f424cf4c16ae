package io.matrixinstall.host;

import io.matrixinstall.command.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A host whose file system starts at a directory: {@code /data/matrix} becomes {@code ROOT/data/matrix}.
 * {@code render --root DIR} runs the same plan as {@code up} through it. It refuses to run commands (fed, started
 * or plain), to reach ports and to resolve names, so a rooted plan can only ever touch files under its root.
 */
public final class RootedHost implements Host {
    private final Host inner;
    private final Path root;

    public RootedHost(Host inner, Path root) {
        this.inner = inner;
        this.root = root.toAbsolutePath().normalize();
    }

    private Path map(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        return root.resolve(path.getRoot().relativize(path));
    }

    @Override
    public String name() {
        return "render root " + root;
    }

    @Override
    public ExecResult exec(Command command) {
        throw refused(command.argv().get(0));
    }

    @Override
    public ExecResult execWithInput(Command command, java.io.InputStream input) {
        throw refused(command.argv().get(0));
    }

    @Override
    public HostProcess start(Command command) {
        throw refused(command.argv().get(0));
    }

    /** A render root is a directory, not a machine: no port of it can be reached. */
    @Override
    public java.net.InetSocketAddress reach(String address, int port) {
        throw refused("a connection to " + address + ":" + port);
    }

    /** Nor does it resolve names: that would be the real machine's answer. */
    @Override
    public java.util.List<String> resolve(String name) {
        throw refused("a lookup of " + name);
    }

    private static HostException refused(String what) {
        return new HostException("a render root cannot run commands (" + what + ")");
    }

    @Override
    public long roundTrips() {
        return inner.roundTrips();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public Optional<FileState> stat(Path path) {
        return inner.stat(map(path));
    }

    /** The link's own text: an absolute target names a path below the root, as it would after a chroot. */
    @Override
    public Optional<Path> linkTarget(Path path) {
        return inner.linkTarget(map(path));
    }

    @Override
    public Optional<byte[]> read(Path path) {
        return inner.read(map(path));
    }

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        inner.writeAtomically(map(path), content, owner, mode);
    }

    @Override
    public void createDirectory(Path path, Ownership owner, int mode) {
        inner.createDirectory(map(path), owner, mode);
    }

    /** The real host's lock: a rooted plan runs on behalf of, and beside, the host it lives on. */
    @Override
    public HostLock lock(String command, Duration wait, Consumer<String> waiting) {
        return inner.lock(command, wait, waiting);
    }

    @Override
    public Path scratchDirectory(String name) {
        return inner.scratchDirectory(name);
    }

    @Override
    public void removeScratchDirectory(String name) {
        inner.removeScratchDirectory(name);
    }

    @Override
    public void remove(Path path) {
        inner.remove(map(path));
    }

    @Override
    public java.util.List<String> list(Path directory) {
        return inner.list(map(directory));
    }

    @Override
    public void setOwnerAndMode(Path path, Ownership owner, int mode) {
        inner.setOwnerAndMode(map(path), owner, mode);
    }
}
