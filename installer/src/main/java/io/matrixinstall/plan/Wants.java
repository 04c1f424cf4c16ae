package io.matrixinstall.plan;

import io.matrixinstall.host.Command;
import io.matrixinstall.host.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the steps of a plan will look at, collected before the first runs ({@link Step#wants}), so the run reads it
 * all in one snapshot: paths whose state is compared, files whose bytes are compared, directories listed, and
 * read-only commands (engine listings, {@code id -u}). A step that reads something it did not name still works:
 * that read goes to the host.
 */
public final class Wants {
    private final List<Path> stat = new ArrayList<>();
    private final List<Path> read = new ArrayList<>();
    private final List<Path> list = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();
    private final List<Snapshot.Follow> follow = new ArrayList<>();

    /** Their states (kind, owner, mode). */
    public Wants stat(Collection<Path> paths) {
        stat.addAll(paths);
        return this;
    }

    public Wants stat(Path... paths) {
        return stat(List.of(paths));
    }

    /** Their states and their bytes. */
    public Wants file(Collection<Path> paths) {
        stat.addAll(paths);
        read.addAll(paths);
        return this;
    }

    public Wants file(Path... paths) {
        return file(List.of(paths));
    }

    /** Their bytes only. */
    public Wants read(Path... paths) {
        read.addAll(List.of(paths));
        return this;
    }

    public Wants list(Path... directories) {
        list.addAll(List.of(directories));
        return this;
    }

    /** Commands that only read; answered to {@code FactsHost.ask}. */
    public Wants ask(Command... more) {
        commands.addAll(List.of(more));
        return this;
    }

    /**
     * The states of every path on the way through {@code path}'s symbolic links (each followed in the snapshot, not
     * one round trip per link), and the bytes of the files {@code beside} where it leads (relative to its directory).
     */
    public Wants follow(Path path, Path... beside) {
        follow.add(new Snapshot.Follow(path, List.of(beside)));
        return this;
    }

    Snapshot.Request request() {
        List<Command> distinct = new ArrayList<>();
        commands.stream().filter(c -> distinct.stream().noneMatch(d -> d.argv().equals(c.argv()))).forEach(distinct::add);
        return new Snapshot.Request(stat, read, list, distinct, follow);
    }
}
