package io.matrixinstall.data;

import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.steps.ForeignDirectoryGuard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backup directory must be one only root can change, or its checksums prove nothing (they sit beside the parts)
 * and what root reads or writes there is another user's choice. So the directory is root's, and so is every
 * ancestor by {@link ForeignDirectoryGuard}'s rules: owned by root, writable by neither every user nor a group other
 * than root's, and not a symbolic link. One exception, for ancestors only: a root-owned sticky directory such as
 * /tmp, in which other users may add entries of their own but never rename or remove root's.
 */
final class RootOnlyDirectory {
    private static final int GROUP_OR_OTHERS = 0077;

    private RootOnlyDirectory() {}

    /** `restore --from`: the directory exists and is root's and 0700 (nobody else can read or change it). */
    static void requireExisting(Host host, Path dir, String option) {
        requireExisting(host, host.statAll(chain(dir)), dir, option);
    }

    /** The same, from the states of {@link #chain} (and maybe more) asked of {@code host} in one call. */
    static void requireExisting(Host host, Map<Path, Optional<FileState>> states, Path dir, String option) {
        ancestors(dir, states, option);
        FileState state = states.get(dir).filter(FileState::directory).orElseThrow(() -> refusal(option, dir
                + (states.get(dir).filter(FileState::symbolicLink).isPresent() ? " is a symbolic link (give the real path)"
                : " is not a directory on " + host.name())));
        if (state.owner().uid() != 0) {
            throw refusal(option, dir + " is owned by uid " + state.owner().uid() + " (" + described(state)
                    + "), not root: its manifest proves nothing about who wrote it");
        }
        if ((state.mode() & GROUP_OR_OTHERS) != 0) {
            throw refusal(option, dir + " is " + described(state) + ", not 0700: a backup holds every secret and"
                    + " message, and only root may read or change it (chmod 0700 " + dir + ")");
        }
    }

    /** `backup --to`: every existing ancestor is root's; the directory, where it exists, too (it is made 0700). */
    static void requireCreatable(Host host, Path dir, String option) {
        Map<Path, Optional<FileState>> states = host.statAll(chain(dir));
        ancestors(dir, states, option);
        Optional<FileState> existing = states.get(dir);
        if (existing.isEmpty()) {
            return;
        }
        FileState state = existing.get();
        if (!state.directory()) {
            throw refusal(option, dir + " exists and is " + (state.symbolicLink() ? "a symbolic link" : "not a directory"));
        }
        Optional<String> foreign = ForeignDirectoryGuard.foreign(state);
        if (foreign.isPresent()) {
            throw refusal(option, dir + " is " + foreign.get() + " (" + described(state) + "): another user could read or"
                    + " replace the backup");
        }
    }

    /** The directory and each of its ancestors, from / down. */
    static List<Path> chain(Path dir) {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        return chain;
    }

    private static void ancestors(Path dir, Map<Path, Optional<FileState>> states, String option) {
        for (Path ancestor = dir.getRoot(); ancestor != null && !ancestor.equals(dir); ancestor = next(ancestor, dir)) {
            Optional<FileState> found = states.get(ancestor);
            if (found.isEmpty()) {
                return; // made by root from here on
            }
            FileState state = found.get();
            if (state.symbolicLink() || !state.directory()) {
                throw refusal(option, ancestor + (state.symbolicLink() ? " is a symbolic link" : " is not a directory")
                        + " (give the real path of " + dir + ")");
            }
            Optional<String> foreign = state.owner().uid() == 0 && ForeignDirectoryGuard.sticky(state) ? Optional.empty()
                    : ForeignDirectoryGuard.foreign(state);
            if (foreign.isPresent()) {
                throw refusal(option, dir + ": " + ancestor + " is " + foreign.get() + " (" + described(state)
                        + "), so another user could replace what is below it; use a directory only root can change,"
                        + " e.g. under /root or /var/backups");
            }
        }
    }

    private static Path next(Path ancestor, Path dir) {
        return ancestor.resolve(dir.getName(ancestor.getNameCount()));
    }

    private static String described(FileState state) {
        return state.owner() + " " + FileState.modeString(state.mode());
    }

    private static PreconditionException refusal(String option, String why) {
        return new PreconditionException(option + ": " + why + "; nothing was changed");
    }
}
