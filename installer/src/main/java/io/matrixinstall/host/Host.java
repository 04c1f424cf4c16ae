package io.matrixinstall.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way steps reach the machine being installed. Local and SSH hosts implement it, so a plan
 * behaves the same whether it runs on the server or from an operator's laptop.
 * Paths are absolute paths on that host.
 */
public interface Host extends AutoCloseable {

    /** A short name for messages: "localhost", "root@203.0.113.5". */
    String name();

    ExecResult exec(Command command);

    /**
     * Runs the command with its standard output streamed into {@code file} (binary, e.g. a database dump),
     * created with {@code owner} and {@code mode} before the first byte is written. Stderr is captured.
     */
    default ExecResult execToFile(Command command, Path file, Ownership owner, int mode) {
        throw new HostException(name() + " cannot stream a command's output into a file");
    }

    /**
     * Runs the command with its standard input read from {@code input} to its end (e.g. {@code docker load} fed
     * by {@code docker save} on another engine), streamed: the input is never held whole in memory or on disk.
     */
    default ExecResult execWithInput(Command command, java.io.InputStream input) {
        throw new HostException(name() + " cannot feed a command's input");
    }

    /**
     * Starts a long-running command and hands over its standard input and output as one duplex stream, e.g.
     * {@code docker system dial-stdio}: the engine's API on this host, whichever host that is.
     */
    default HostProcess start(Command command) {
        throw new HostException(name() + " cannot start a streaming command");
    }

    /**
     * An address the agent's own JVM can connect to that reaches {@code address:port} as seen from this host:
     * the local host needs nothing (the same address), an SSH host opens a port forward over its connection
     * (never a port opened on the target). Forwards close with the host.
     */
    default java.net.InetSocketAddress reach(String address, int port) {
        return new java.net.InetSocketAddress(address, port);
    }

    /**
     * The addresses {@code name} resolves to as this host resolves it (its /etc/hosts, its DNS servers), in the
     * resolver's order; empty when it does not resolve. Asked on the host, so a remote run sees the target's view,
     * not the operator's. Every host asks the same way (LocalHost too: not the JVM's resolver, whose hosts-file option
     * and cache getent knows nothing of), so a local and a remote run read names, and parse the answer, alike.
     */
    default java.util.List<String> resolve(String name) {
        ExecResult result = exec(HostCommands.resolveName(name));
        // getent ahosts: "ADDRESS  STREAM|DGRAM|RAW  [NAME]", one line per address and socket type.
        return result.ok() ? result.stdout().lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0]).distinct().toList() : java.util.List.of();
    }

    Optional<FileState> stat(Path path);

    /** The states of many paths at once; a remote host answers them in one round trip. */
    default java.util.Map<Path, Optional<FileState>> statAll(java.util.Collection<Path> paths) {
        java.util.Map<Path, Optional<FileState>> states = new java.util.LinkedHashMap<>();
        paths.forEach(path -> states.put(path, stat(path)));
        return states;
    }

    /**
     * Many reads at once, each answered as it would have been on its own (a failure kept for its own read): the
     * states of {@code request.stat()}, the contents of {@code request.read()}, the entries of
     * {@code request.list()} and the results of {@code request.commands()}, which must only read, and the links of
     * {@code request.follow()}. A remote host answers all of it in one round trip.
     */
    default Snapshot snapshot(Snapshot.Request request) {
        java.util.Map<Path, Answer<Optional<byte[]>>> contents = new java.util.LinkedHashMap<>();
        request.read().forEach(path -> contents.put(path, Answer.from(() -> read(path))));
        java.util.Map<Path, Answer<java.util.List<String>>> listings = new java.util.LinkedHashMap<>();
        request.list().forEach(path -> listings.put(path, Answer.from(() -> list(path))));
        java.util.Map<java.util.List<String>, Answer<ExecResult>> results = new java.util.LinkedHashMap<>();
        request.commands().forEach(command -> results.put(command.argv(), Answer.from(() -> exec(command))));
        // A path that cannot be inspected (one under a file) is left out: its own stat later fails as it would have.
        java.util.Map<Path, Optional<FileState>> states = new java.util.LinkedHashMap<>();
        request.stat().forEach(path -> {
            Answer<Optional<FileState>> state = Answer.from(() -> stat(path));
            if (state.failure() == null) {
                states.put(path, state.value());
            }
        });
        request.follow().forEach(follow -> LinkChain.gather(this, follow, states, contents));
        return new Snapshot(states, contents, listings, results);
    }

    /** The machine this agent runs on (no {@code --host}): its own Java runs the schedules, no engine to push from. */
    default boolean thisMachine() {
        return false;
    }

    /** How many requests went to the host so far (shown with --verbose); 0 where that costs nothing. */
    default long roundTrips() {
        return 0;
    }

    /** Closes the connection and its forwards; nothing to do for the local host. */
    @Override
    default void close() {
    }

    /** The most any read takes: more than any file the agent reads, and a bound on what a planted file costs. */
    long READ_LIMIT = 64L << 20;

    /**
     * The file's bytes, or empty when it does not exist. Refused in one line, never waited on: a symbolic link at the
     * path (or, on the way to it, in a directory another user can write), anything but a regular file (a FIFO would
     * block the reader forever), a file larger than {@link #READ_LIMIT}.
     */
    Optional<byte[]> read(Path path);

    /** {@link #read} of many files at once, in the given order; a remote host answers them in one round trip. */
    default java.util.Map<Path, Optional<byte[]>> readAll(java.util.Collection<Path> paths) {
        java.util.Map<Path, Optional<byte[]>> contents = new java.util.LinkedHashMap<>();
        paths.forEach(path -> contents.put(path, read(path)));
        return contents;
    }

    /**
     * Replaces the file in one step, durably: written aside with the given owner and mode, flushed, renamed
     * over the target, and the directory flushed. Never writes through a symbolic link (the temp name is
     * created new, without following links) and refuses a target that is one.
     *
     * <p>Every file call (this, read, createDirectory, setOwnerAndMode, remove, execToFile's file) reaches its file
     * the same way on every host: from / one component at a time, each opened without following a link and used by
     * descriptor, so nothing swapped mid-call by a user who can write a directory on the way redirects root. A link on
     * the way is followed only in a directory no other user can write; one at the path itself is refused.
     */
    void writeAtomically(Path path, byte[] content, Ownership owner, int mode);

    /**
     * Creates the directory (and missing parents, owned by root 0755) when absent, then sets owner and mode.
     * Refuses a path that is a symbolic link.
     */
    void createDirectory(Path path, Ownership owner, int mode);

    /**
     * Refuses a symbolic link: a link planted in a directory another user can write must not redirect root. Owner and
     * mode change on the opened file (fchown, fchmod), which must be a regular file or a directory.
     */
    void setOwnerAndMode(Path path, Ownership owner, int mode);

    /** Removes a file or an empty directory; absent is fine. */
    void remove(Path path);

    /** The names of a directory's entries, sorted; empty when the directory does not exist. */
    java.util.List<String> list(Path directory);

    /**
     * Takes the one lock every command that changes this host holds, in a fixed place on the host (not under
     * any configured directory). When another run holds it, tells {@code waiting} who and retries for up to
     * {@code wait}, then throws {@link HostBusyException} naming the holder. {@code command} describes this
     * run for the others ("up", "renew"). Taking it clears the scratch space a killed holder left.
     */
    HostLock lock(String command, Duration wait, Consumer<String> waiting);

    /**
     * A fresh, empty, root-only directory outside every managed directory, for files the agent stages and
     * removes again (e.g. a config to check). Only the lock holder may use it; any stale one is replaced.
     */
    Path scratchDirectory(String name);

    /** Removes a scratch directory and everything in it. */
    void removeScratchDirectory(String name);

    default OsRelease osRelease() {
        return read(Path.of("/etc/os-release"))
                .map(bytes -> OsRelease.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)))
                .orElseThrow(() -> new HostException(name() + ": /etc/os-release is missing"));
    }
}
