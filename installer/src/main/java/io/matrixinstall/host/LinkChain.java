package io.matrixinstall.host;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A path followed as the kernel resolves it, one component at a time without following anything by itself: from /
 * down, each symbolic link's target read from its state and walked in its place (relative to the link's directory
 * unless absolute), ".." taken against the path walked so far (which holds no link), at most {@value #MAX_LINKS}
 * links (ELOOP). Only states are read, never a file's contents. The walk ends at the first component that is
 * absent or not a directory with names still to go: then nothing is resolved.
 *
 * <p>The same walk as {@code HostCommands.remoteFollow} on a remote host (its shell twin, one round trip); here for
 * {@link Host#snapshot} on this machine and for reading where a path leads from the facts.
 *
 * @param states   every path on the way, in walking order, and its state (absent ones empty)
 * @param resolved where the path leads, when it all exists
 */
public record LinkChain(Map<Path, Optional<FileState>> states, Optional<Path> resolved) {
    /** The kernel gives up after 40 links too (ELOOP). */
    public static final int MAX_LINKS = 40;

    public static LinkChain walk(Path path, Function<Path, Optional<FileState>> lstat) {
        Map<Path, Optional<FileState>> states = new LinkedHashMap<>();
        Path root = path.toAbsolutePath().getRoot();
        states.put(root, lstat.apply(root));
        Deque<String> remaining = new ArrayDeque<>(names(path));
        Path resolved = root;
        int links = 0;
        while (!remaining.isEmpty()) {
            String name = remaining.pop();
            if (name.equals("..")) {
                resolved = resolved.getParent() == null ? root : resolved.getParent();
                continue;
            }
            Path candidate = resolved.resolve(name);
            Optional<FileState> state = states.computeIfAbsent(candidate, lstat);
            if (state.isEmpty()) {
                return new LinkChain(states, Optional.empty());
            }
            if (state.get().symbolicLink()) {
                if (++links > MAX_LINKS) {
                    return new LinkChain(states, Optional.empty());
                }
                Path target = state.get().linkTarget().orElseThrow();
                List<String> targetNames = names(target);
                for (int i = targetNames.size() - 1; i >= 0; i--) {
                    remaining.push(targetNames.get(i));
                }
                if (target.isAbsolute()) {
                    resolved = root;
                }
                continue;
            }
            if (!remaining.isEmpty() && !state.get().directory()) {
                return new LinkChain(states, Optional.empty());
            }
            resolved = candidate;
        }
        return new LinkChain(states, Optional.of(resolved));
    }

    /**
     * {@code follow} answered call by call on {@code host} (this machine, a render root) into a snapshot's states and
     * contents; a chain that cannot be inspected is left out, as the remote walk leaves it.
     */
    static void gather(Host host, Snapshot.Follow follow, Map<Path, Optional<FileState>> states,
            Map<Path, Answer<Optional<byte[]>>> contents) {
        LinkChain chain;
        try {
            chain = walk(follow.path(), host::stat);
        } catch (HostException e) {
            return;
        }
        states.putAll(chain.states());
        chain.resolved().ifPresent(resolved -> follow.beside().forEach(relative -> {
            Path file = Snapshot.Follow.beside(resolved, relative);
            contents.put(file, Answer.from(() -> host.read(file)));
        }));
    }

    /** The names of a path, without "." and empty ones; ".." stays (it is resolved against the walked path). */
    public static List<String> names(Path path) {
        List<String> names = new ArrayList<>();
        for (Path name : path) {
            if (!name.toString().equals(".") && !name.toString().isEmpty()) {
                names.add(name.toString());
            }
        }
        return names;
    }
}
