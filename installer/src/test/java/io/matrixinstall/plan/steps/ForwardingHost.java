package io.matrixinstall.plan.steps;

import io.matrixinstall.command.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.host.Ownership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * This machine, seen as another host would be: every call goes to a real {@link io.matrixinstall.host.LocalHost},
 * but the agent cannot tell it is the machine it runs on (as with an SSH host), so it takes the remote paths.
 */
final class ForwardingHost implements Host {
    private final Host inner;

    ForwardingHost(Host inner) {
        this.inner = inner;
    }

    @Override public String name() { return "other host"; }
    @Override public ExecResult exec(Command command) { return inner.exec(command); }
    @Override public ExecResult execWithInput(Command command, java.io.InputStream input) { return inner.execWithInput(command, input); }
    @Override public Optional<FileState> stat(Path path) { return inner.stat(path); }
    @Override public Optional<byte[]> read(Path path) { return inner.read(path); }
    @Override public Optional<Path> linkTarget(Path path) { return inner.linkTarget(path); }
    @Override public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) { inner.writeAtomically(path, content, owner, mode); }
    @Override public void createDirectory(Path path, Ownership owner, int mode) { inner.createDirectory(path, owner, mode); }
    @Override public void setOwnerAndMode(Path path, Ownership owner, int mode) { inner.setOwnerAndMode(path, owner, mode); }
    @Override public void remove(Path path) { inner.remove(path); }
    @Override public List<String> list(Path directory) { return inner.list(directory); }
    @Override public HostLock lock(String command, Duration wait, Consumer<String> waiting) { return inner.lock(command, wait, waiting); }
    @Override public Path scratchDirectory(String name) { return inner.scratchDirectory(name); }
    @Override public void removeScratchDirectory(String name) { inner.removeScratchDirectory(name); }
    @Override public io.matrixinstall.host.OsRelease osRelease() { return inner.osRelease(); }
}
