package io.matrixinstall.steps;

import io.matrixinstall.host.OsRelease;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.host.Ownership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This machine, seen as another host would be: every call goes to a real {@link LocalHost},
 * but the agent cannot tell it is the machine it runs on (as with an SSH host), so it takes the remote paths.
 */
final class ForwardingHost implements Host {
    private final Host inner;
    /** The argv of every command run, in order. */
    final List<List<String>> executed = new CopyOnWriteArrayList<>();

    private final boolean thisMachine;

    ForwardingHost(Host inner) {
        this(inner, false);
    }

    /** {@code thisMachine}: the agent takes this machine's paths, the commands still listed. */
    ForwardingHost(Host inner, boolean thisMachine) {
        this.inner = inner;
        this.thisMachine = thisMachine;
    }

    @Override public boolean thisMachine() { return thisMachine; }

    @Override public String name() { return "other host"; }
    @Override public ExecResult exec(Command command) { executed.add(command.argv()); return inner.exec(command); }
    @Override public ExecResult execWithInput(Command command, java.io.InputStream input) { return inner.execWithInput(command, input); }
    @Override public Optional<FileState> stat(Path path) { return inner.stat(path); }
    @Override public Optional<byte[]> read(Path path) { return inner.read(path); }
    @Override public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) { inner.writeAtomically(path, content, owner, mode); }
    @Override public void createDirectory(Path path, Ownership owner, int mode) { inner.createDirectory(path, owner, mode); }
    @Override public void setOwnerAndMode(Path path, Ownership owner, int mode) { inner.setOwnerAndMode(path, owner, mode); }
    @Override public void remove(Path path) { inner.remove(path); }
    @Override public List<String> list(Path directory) { return inner.list(directory); }
    @Override public HostLock lock(String command, Duration wait, Consumer<String> waiting) { return inner.lock(command, wait, waiting); }
    @Override public Path scratchDirectory(String name) { return inner.scratchDirectory(name); }
    @Override public void removeScratchDirectory(String name) { inner.removeScratchDirectory(name); }
    @Override public OsRelease osRelease() { return inner.osRelease(); }
    @Override public void close() { inner.close(); }
}
