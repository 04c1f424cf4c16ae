package io.matrixinstall.host;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A host that answers from facts gathered once ({@link #gather}: one {@link Host#snapshot}, one round trip on a
 * remote host) instead of asking again: the states, contents and listings of the paths a run looks at, and the
 * answers of read-only commands ({@link #ask}). Reads of anything not gathered go to the host, as before.
 *
 * <p>The facts stay true because every change goes through here: a write, a new directory, an owner or mode set, a
 * removal updates the facts of its path; a command run with {@link #exec} (or fed, or started) may change anything,
 * so it drops them all. Polls (health waits, the proxy's readiness) never read facts: they run commands, live.
 */
public final class FactsHost implements Host {
    private final Host inner;
    private final Map<Path, Optional<FileState>> states = new HashMap<>();
    private final Map<Path, Answer<Optional<byte[]>>> contents = new HashMap<>();
    private final Map<Path, Answer<List<String>>> listings = new HashMap<>();
    private final Map<List<String>, Answer<ExecResult>> answers = new HashMap<>();
    private final List<Path> wantStat = new ArrayList<>();
    private final List<Path> wantRead = new ArrayList<>();
    private OsRelease osRelease;

    private FactsHost(Host inner) {
        this.inner = inner;
    }

    /** {@code host} itself when it already answers from facts, else {@code host} wrapped. */
    public static FactsHost of(Host host) {
        return host instanceof FactsHost facts ? facts : new FactsHost(host);
    }

    /** Adds paths to the next {@link #gather} (for a frame around a plan: the history the run appends to). */
    public synchronized void alsoGather(Collection<Path> stat, Collection<Path> read) {
        wantStat.addAll(stat);
        wantRead.addAll(read);
    }

    /** Reads everything {@code request} names (plus what {@link #alsoGather} added) in one snapshot and keeps it. */
    public synchronized void gather(Snapshot.Request request) {
        List<Path> stat = new ArrayList<>(request.stat());
        stat.addAll(wantStat);
        List<Path> read = new ArrayList<>(request.read());
        read.addAll(wantRead);
        wantStat.clear();
        wantRead.clear();
        Snapshot.Request all = new Snapshot.Request(stat, read, request.list(), request.commands(), request.follow());
        if (all.isEmpty()) {
            return;
        }
        Snapshot snapshot = inner.snapshot(all);
        states.putAll(snapshot.states());
        contents.putAll(snapshot.contents());
        listings.putAll(snapshot.listings());
        answers.putAll(snapshot.results());
    }

    /**
     * Where {@code path} leads ({@link LinkChain}), from the facts; when a step is not among them, the chain and the
     * files {@code beside} its end are gathered first (one snapshot: one round trip on a remote host, not one per
     * link). Empty when it does not lead to something that exists.
     */
    public synchronized Optional<Path> resolve(Path path, List<Path> beside) {
        List<Path> unknown = new ArrayList<>();
        LinkChain.walk(path, step -> {
            Optional<FileState> known = states.get(step);
            if (known == null) {
                unknown.add(step);
                return Optional.empty();
            }
            return known;
        });
        if (!unknown.isEmpty()) {
            gather(new Snapshot.Request(List.of(), List.of(), List.of(), List.of(), List.of(new Snapshot.Follow(path, beside))));
        }
        return LinkChain.walk(path, this::stat).resolved();
    }

    /**
     * The answer of a command that only reads (an engine listing, {@code id -u}): gathered, or asked once and kept
     * until {@link #forgetAnswers} or a command that may change things. Never for polls: they ask {@link #exec}.
     */
    public synchronized ExecResult ask(Command command) {
        Answer<ExecResult> known = answers.get(command.argv());
        if (known == null) {
            known = Answer.from(() -> inner.exec(command));
            answers.put(command.argv(), known);
        }
        return known.get();
    }

    /** Whether {@link #ask} would answer {@code command} without asking the host. */
    public synchronized boolean knows(Command command) {
        return answers.containsKey(command.argv());
    }

    /** Drops the commands' answers (the engine's state): around every change the plan applies. */
    public synchronized void forgetAnswers() {
        answers.clear();
    }

    /** Drops every fact: something may have changed anything. */
    public synchronized void forgetAll() {
        answers.clear();
        states.clear();
        contents.clear();
        listings.clear();
    }

    // --- reads: facts first ---

    @Override
    public synchronized Optional<FileState> stat(Path path) {
        Optional<FileState> known = states.get(path);
        return known != null ? known : inner.stat(path);
    }

    @Override
    public synchronized Map<Path, Optional<FileState>> statAll(Collection<Path> paths) {
        List<Path> unknown = paths.stream().filter(path -> !states.containsKey(path)).distinct().toList();
        Map<Path, Optional<FileState>> asked = unknown.isEmpty() ? Map.of() : inner.statAll(unknown);
        Map<Path, Optional<FileState>> all = new LinkedHashMap<>();
        paths.forEach(path -> all.put(path, states.containsKey(path) ? states.get(path)
                : asked.getOrDefault(path, Optional.empty())));
        return all;
    }

    @Override
    public synchronized Optional<byte[]> read(Path path) {
        Answer<Optional<byte[]>> known = contents.get(path);
        return known != null ? copy(known.get()) : inner.read(path);
    }

    @Override
    public synchronized Map<Path, Optional<byte[]>> readAll(Collection<Path> paths) {
        List<Path> unknown = paths.stream().filter(path -> !contents.containsKey(path)).distinct().toList();
        Map<Path, Optional<byte[]>> asked = unknown.isEmpty() ? Map.of() : inner.readAll(unknown);
        Map<Path, Optional<byte[]>> all = new LinkedHashMap<>();
        for (Path path : paths) {
            all.put(path, contents.containsKey(path) ? copy(contents.get(path).get()) : asked.getOrDefault(path, Optional.empty()));
        }
        return all;
    }

    @Override
    public synchronized List<String> list(Path directory) {
        Answer<List<String>> known = listings.get(directory);
        return known != null ? known.get() : inner.list(directory);
    }

    /** Gathered with the rest when asked for ({@link HostCommands#osRelease}); the same all run long. */
    @Override
    public synchronized OsRelease osRelease() {
        if (osRelease == null) {
            Answer<ExecResult> gathered = answers.get(HostCommands.osRelease().argv());
            osRelease = gathered != null && gathered.failure() == null && gathered.value().ok()
                    ? OsRelease.parse(gathered.value().stdout()) : inner.osRelease();
        }
        return osRelease;
    }

    private static Optional<byte[]> copy(Optional<byte[]> bytes) {
        return bytes.map(byte[]::clone);
    }

    // --- changes: the facts of what changed follow ---

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        try {
            inner.writeAtomically(path, content, owner, mode);
        } finally {
            synchronized (this) {
                forget(path);
            }
        }
        synchronized (this) {
            states.put(path, Optional.of(new FileState(false, owner, mode)));
            contents.put(path, Answer.of(Optional.of(content.clone())));
        }
    }

    @Override
    public void createDirectory(Path path, Ownership owner, int mode) {
        try {
            inner.createDirectory(path, owner, mode);
        } finally {
            synchronized (this) {
                // Missing parents were created too: their facts are unknown now.
                for (Path p = path; p != null; p = p.getParent()) {
                    forget(p);
                }
            }
        }
        synchronized (this) {
            states.put(path, Optional.of(new FileState(true, owner, mode)));
        }
    }

    @Override
    public void setOwnerAndMode(Path path, Ownership owner, int mode) {
        Optional<FileState> before;
        synchronized (this) {
            before = states.get(path);
            forget(path);
        }
        inner.setOwnerAndMode(path, owner, mode);
        if (before != null && before.isPresent()) {
            synchronized (this) {
                states.put(path, Optional.of(new FileState(before.get().directory(), owner, mode)));
            }
        }
    }

    @Override
    public void remove(Path path) {
        try {
            inner.remove(path);
        } finally {
            synchronized (this) {
                forget(path);
            }
        }
        synchronized (this) {
            states.put(path, Optional.empty());
            contents.put(path, Answer.of(Optional.empty()));
        }
    }

    /** Drops the facts of {@code path}, of everything under it, and its parent's listing. */
    private void forget(Path path) {
        states.keySet().removeIf(p -> p.startsWith(path));
        contents.keySet().removeIf(p -> p.startsWith(path));
        listings.keySet().removeIf(p -> p.startsWith(path));
        if (path.getParent() != null) {
            listings.remove(path.getParent());
        }
    }

    @Override
    public ExecResult exec(Command command) {
        try {
            return inner.exec(command);
        } finally {
            forgetAll();
        }
    }

    @Override
    public ExecResult execToFile(Command command, Path file, Ownership owner, int mode) {
        try {
            return inner.execToFile(command, file, owner, mode);
        } finally {
            forgetAll();
        }
    }

    @Override
    public ExecResult execWithInput(Command command, InputStream input) {
        try {
            return inner.execWithInput(command, input);
        } finally {
            forgetAll();
        }
    }

    @Override
    public HostProcess start(Command command) {
        forgetAll();
        return inner.start(command);
    }

    @Override
    public Path scratchDirectory(String name) {
        Path directory = inner.scratchDirectory(name);
        synchronized (this) {
            forget(directory);
        }
        return directory;
    }

    @Override
    public void removeScratchDirectory(String name) {
        inner.removeScratchDirectory(name);
    }

    // --- the rest is the host's ---

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean thisMachine() {
        return inner.thisMachine();
    }

    @Override
    public InetSocketAddress reach(String address, int port) {
        return inner.reach(address, port);
    }

    @Override
    public List<String> resolve(String name) {
        return inner.resolve(name);
    }

    @Override
    public Snapshot snapshot(Snapshot.Request request) {
        return inner.snapshot(request);
    }

    @Override
    public long roundTrips() {
        return inner.roundTrips();
    }

    @Override
    public HostLock lock(String command, Duration wait, Consumer<String> waiting) {
        return inner.lock(command, wait, waiting);
    }

    @Override
    public void close() {
        inner.close();
    }
}
