package io.matrixinstall.plan;

import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.ManagedDirectory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Compare-then-change for files and directories: the check half of every file step. */
public final class FileSync {
    private FileSync() {}

    public static void directory(PlanContext context, ManagedDirectory wanted) {
        directory(context, wanted, context.host().stat(wanted.path()));
    }

    /** {@link #directory} for many, their states read in one round trip on a remote host. */
    public static void directories(PlanContext context, java.util.List<ManagedDirectory> wanted) {
        var states = context.host().statAll(wanted.stream().map(ManagedDirectory::path).toList());
        wanted.forEach(directory -> directory(context, directory, states.get(directory.path())));
    }

    private static void directory(PlanContext context, ManagedDirectory wanted, Optional<FileState> now) {
        Host host = context.host();
        if (now.isEmpty()) {
            if (context.changed(wanted.path())) {
                return; // created earlier in this dry run (two schedules share the cron directory)
            }
            context.fileChanged(wanted.path());
            context.gate().submit("create directory " + wanted.path() + " (" + describe(wanted.owner(), wanted.mode()) + ")",
                    () -> host.createDirectory(wanted.path(), wanted.owner(), wanted.mode()));
            return;
        }
        if (!now.get().directory()) {
            throw new HostException(wanted.path() + " exists but is not a directory; move it away and run again");
        }
        attributes(context, wanted.path(), now.get(), wanted.owner(), wanted.mode());
    }

    /** Makes the file hold exactly {@code content}. Returns true when its content changed. */
    public static boolean file(PlanContext context, Path path, byte[] content, Ownership owner, int mode) {
        Host host = context.host();
        Optional<FileState> now = host.stat(path);
        return file(context, path, content, owner, mode, now,
                () -> now.isPresent() && !now.get().directory() ? host.read(path) : Optional.empty());
    }

    /** A file {@link #files} compares: what it must hold, with which owner and mode. */
    public record Wanted(Path path, byte[] content, Ownership owner, int mode) {}

    /**
     * {@link #file} for many: their states in one round trip and their contents in a second one on a remote
     * host, instead of two per file. The same comparisons, in the same order.
     */
    public static void files(PlanContext context, java.util.List<Wanted> wanted) {
        Host host = context.host();
        var states = host.statAll(wanted.stream().map(Wanted::path).toList());
        // Read only what exists as a file: a directory in a file's place is refused below, as by file().
        var contents = host.readAll(wanted.stream().map(Wanted::path)
                .filter(path -> states.get(path).filter(state -> !state.directory()).isPresent()).toList());
        for (Wanted file : wanted) {
            file(context, file.path(), file.content(), file.owner(), file.mode(), states.get(file.path()),
                    () -> contents.getOrDefault(file.path(), Optional.empty()));
        }
    }

    private static boolean file(PlanContext context, Path path, byte[] content, Ownership owner, int mode,
            Optional<FileState> now, java.util.function.Supplier<Optional<byte[]>> installed) {
        Host host = context.host();
        if (now.isPresent() && now.get().directory()) {
            throw new HostException(path + " is a directory where a file belongs; move it away and run again");
        }
        boolean same = now.isPresent() && installed.get().map(bytes -> Arrays.equals(bytes, content)).orElse(false);
        if (!same) {
            context.gate().submit(ChangeGate.Change.write(path, "write " + path + " (" + describe(owner, mode) + ")"),
                    () -> host.writeAtomically(path, content, owner, mode));
            context.fileChanged(path);
            return true;
        }
        attributes(context, path, now.get(), owner, mode);
        return false;
    }

    /** A large file's wanted bytes (the agent's own jar), compared on the host without reading them whole. */
    public interface LargeContent {
        /** Whether {@code path}, a file on {@code host}, holds these bytes; false when it cannot tell. */
        boolean sameAs(Host host, Path path);

        /** Their SHA-256, hex: what the change's line names. */
        String sha256();

        /** The bytes, read only for a write. */
        byte[] bytes();

        /** After {@code bytes} were written at {@code path}, in the same change: what else records them (none here). */
        default void written(Host host, Path path, byte[] bytes) {}
    }

    /**
     * {@link #file} for a large file on a host that may be remote: compared as {@code content} compares (a digest
     * computed on the host, one short answer instead of the whole file read over) and rewritten only when it differs.
     */
    public static boolean largeFile(PlanContext context, Path path, LargeContent content, Ownership owner, int mode) {
        Host host = context.host();
        Optional<FileState> now = host.stat(path);
        if (now.isPresent() && now.get().directory()) {
            throw new HostException(path + " is a directory where a file belongs; move it away and run again");
        }
        if (now.isEmpty() || !content.sameAs(host, path)) {
            context.gate().submit(ChangeGate.Change.write(path, "write " + path + " (" + describe(owner, mode) + ", sha256 "
                    + content.sha256().substring(0, 12) + "…)"), () -> {
                        byte[] bytes = content.bytes();
                        host.writeAtomically(path, bytes, owner, mode);
                        content.written(host, path, bytes);
                    });
            context.fileChanged(path);
            return true;
        }
        attributes(context, path, now.get(), owner, mode);
        return false;
    }

    public static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean attributes(PlanContext context, Path path, FileState now, Ownership owner, int mode) {
        if (now.owner().equals(owner) && now.mode() == mode) {
            return false;
        }
        context.gate().submit("set " + path + " to " + describe(owner, mode) + " (was " + describe(now.owner(), now.mode()) + ")",
                () -> context.host().setOwnerAndMode(path, owner, mode));
        return true;
    }

    static String describe(Ownership owner, int mode) {
        return owner + " " + FileState.modeString(mode);
    }
}
