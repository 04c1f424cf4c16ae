package io.matrixinstall.host;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host that stands for a machine elsewhere: it answers only through the {@link Host} interface, with the
 * command outputs and port forwards a test gives it, and records every call. A step that reached the network or
 * the engine from the agent's own JVM instead would find nothing where it looked (no forwarded port answers at the
 * address it was asked about) and the test would see the call missing from the record.
 */
public final class RecordingHost extends RefusingHost {
    private final Map<List<String>, ExecResult> answers = new HashMap<>();
    private final Map<String, InetSocketAddress> forwards = new HashMap<>();
    public final List<List<String>> executed = new ArrayList<>();
    public final List<String> reached = new ArrayList<>();
    public final Map<Path, byte[]> written = new LinkedHashMap<>();
    public final List<Path> removed = new ArrayList<>();

    /** {@code argv} answers with this exit code and output. */
    public RecordingHost answer(List<String> argv, int exitCode, String stdout) {
        answers.put(List.copyOf(argv), new ExecResult(exitCode, stdout, ""));
        return this;
    }

    /** {@code address:port} on this host is reached at {@code local} (what an SSH forward would hand back). */
    public RecordingHost forward(String address, int port, InetSocketAddress local) {
        forwards.put(address + ":" + port, local);
        return this;
    }

    @Override
    public String name() {
        return "recording host";
    }

    @Override
    public ExecResult exec(Command command) {
        executed.add(command.argv());
        ExecResult result = answers.get(command.argv());
        if (result == null) {
            throw new AssertionError("unexpected command on the host: " + command.argv());
        }
        return result;
    }

    @Override
    public InetSocketAddress reach(String address, int port) {
        reached.add(address + ":" + port);
        InetSocketAddress local = forwards.get(address + ":" + port);
        if (local == null) {
            throw new AssertionError("no forward to " + address + ":" + port + " on the host");
        }
        return local;
    }

    @Override
    public Optional<FileState> stat(Path path) {
        return Optional.ofNullable(written.get(path)).map(bytes -> new FileState(false, Ownership.ROOT, 0644));
    }

    @Override
    public Optional<byte[]> read(Path path) {
        return Optional.ofNullable(written.get(path));
    }

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        written.put(path, content);
    }

    @Override
    public void remove(Path path) {
        removed.add(path);
        written.remove(path);
    }
}
