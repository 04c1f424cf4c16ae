package io.matrixinstall.steps;

import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.LinkChain;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether only root can change what a path names: every directory from / down, every symbolic link on the way
 * and every directory and file its target passes through, and the file itself must be owned by root and writable
 * by neither group nor others. Root's schedules run such paths (the Java, the agent's jar); anyone who could swap
 * one of them would choose what root runs next. The links are followed here, one at a time, on the host itself,
 * so that each step is checked rather than trusting a path resolved elsewhere (a link's target comes with its stat).
 * A snapshot that followed the path ({@code Wants.follow}) holds every step's state: then nothing more is asked, and
 * each step is still checked here, one at a time.
 *
 * <p>One exception, as the kernel sees it: a root-owned directory with the sticky bit (/tmp) lets nobody rename
 * or remove an entry they do not own, so it passes, and its entry must be root's like any other component.
 */
final class RootOnlyPath {
    /** The kernel gives up after 40 links too (ELOOP). */
    private static final int MAX_LINKS = LinkChain.MAX_LINKS;

    private RootOnlyPath() {}

    /**
     * What is wrong with {@code path} on {@code host}, as "COMPONENT is ...", or empty when only root can change it.
     * {@code absentIsFine}: a component that does not exist ends the check (the agent creates what is missing,
     * as root); otherwise it is the problem.
     */
    static Optional<String> problem(Host host, Path path, boolean absentIsFine) {
        if (!path.isAbsolute()) {
            return Optional.of(path + " is not an absolute path");
        }
        Path root = path.getRoot();
        Path resolved = root;
        Deque<String> remaining = new ArrayDeque<>(LinkChain.names(path));
        Map<Path, Optional<FileState>> known = new HashMap<>(stat(host, root, remaining));
        Optional<String> rootProblem = notRootOnly(root, known.get(root).orElseThrow(() -> new HostException(root + " is missing")));
        if (rootProblem.isPresent()) {
            return rootProblem;
        }
        int links = 0;
        while (!remaining.isEmpty()) {
            String name = remaining.pop();
            if (name.equals("..")) {
                resolved = resolved.getParent() == null ? root : resolved.getParent(); // resolved holds no link
                continue;
            }
            Path candidate = resolved.resolve(name);
            if (!known.containsKey(candidate)) {
                known.putAll(stat(host, candidate, remaining));
            }
            Optional<FileState> found = known.get(candidate);
            if (found.isEmpty()) {
                return absentIsFine ? Optional.empty() : Optional.of(candidate + " does not exist");
            }
            FileState state = found.get();
            if (state.symbolicLink()) {
                // A link's own mode means nothing; who may replace it is its directory's business, checked already.
                if (state.owner().uid() != 0) {
                    return Optional.of(candidate + " is owned by uid " + state.owner().uid());
                }
                if (++links > MAX_LINKS) {
                    return Optional.of(path + " passes through more than " + MAX_LINKS + " symbolic links");
                }
                Path target = state.linkTarget().orElseThrow();
                List<String> targetNames = LinkChain.names(target);
                for (int i = targetNames.size() - 1; i >= 0; i--) {
                    remaining.push(targetNames.get(i));
                }
                if (target.isAbsolute()) {
                    resolved = root;
                }
                continue;
            }
            Optional<String> problem = notRootOnly(candidate, state);
            if (problem.isPresent()) {
                return problem;
            }
            if (remaining.isEmpty() && state.directory()) {
                return Optional.of(candidate + " is a directory");
            }
            if (!remaining.isEmpty() && !state.directory()) {
                return Optional.of(candidate + " is not a directory");
            }
            resolved = candidate;
        }
        return Optional.empty();
    }

    private static Optional<String> notRootOnly(Path path, FileState state) {
        if (state.owner().uid() != 0) {
            return Optional.of(path + " is owned by uid " + state.owner().uid());
        }
        boolean stickyRootDirectory = state.directory() && (state.mode() & 01000) != 0;
        if ((state.mode() & 022) != 0 && !stickyRootDirectory) {
            return Optional.of(path + " is writable by group or others (" + FileState.modeString(state.mode()) + ")");
        }
        return Optional.empty();
    }

    /**
     * {@code candidate} and, on the guess that no link comes first, the paths the names after it lead to: one round
     * trip on a remote host for a whole stretch without links. A guess the host cannot answer (a file where a
     * directory was guessed) falls back to the candidate alone.
     */
    private static Map<Path, Optional<FileState>> stat(Host host, Path candidate, Deque<String> remaining) {
        List<Path> guesses = new ArrayList<>(List.of(candidate));
        Path next = candidate;
        for (String name : remaining) {
            if (name.equals("..")) {
                break;
            }
            next = next.resolve(name);
            guesses.add(next);
        }
        try {
            return host.statAll(guesses);
        } catch (HostException e) {
            return host.statAll(List.of(candidate));
        }
    }
}
