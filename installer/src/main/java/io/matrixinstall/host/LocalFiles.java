package io.matrixinstall.host;

import static io.matrixinstall.host.LibC.AT_EMPTY_PATH;
import static io.matrixinstall.host.LibC.AT_REMOVEDIR;
import static io.matrixinstall.host.LibC.EEXIST;
import static io.matrixinstall.host.LibC.EINTR;
import static io.matrixinstall.host.LibC.EISDIR;
import static io.matrixinstall.host.LibC.ELOOP;
import static io.matrixinstall.host.LibC.ENOENT;
import static io.matrixinstall.host.LibC.ENXIO;
import static io.matrixinstall.host.LibC.O_CLOEXEC;
import static io.matrixinstall.host.LibC.O_CREAT;
import static io.matrixinstall.host.LibC.O_EXCL;
import static io.matrixinstall.host.LibC.O_NOCTTY;
import static io.matrixinstall.host.LibC.O_NOFOLLOW;
import static io.matrixinstall.host.LibC.O_NONBLOCK;
import static io.matrixinstall.host.LibC.O_RDONLY;
import static io.matrixinstall.host.LibC.O_WRONLY;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * LocalHost's file calls, made on descriptors: the same rules as the remote script ({@code scripts/remote-files.pl}).
 * A path is walked from / one component at a time, each opened relative to the last without following a link
 * (openat, O_NOFOLLOW), so nothing a less-privileged user swaps mid-call (Synapse's uid owns {@code files/}) can send
 * root elsewhere. A link on the way is followed only in a directory no other user can write (owned by root or this
 * user, not group- or world-writable: only root could have made it, e.g. /data on another volume); a link at the end
 * is refused. Files are opened O_NONBLOCK and their type checked on the descriptor: a FIFO is refused at once, never
 * waited on. Owner and mode change on the open descriptor (fchown, fchmod).
 */
final class LocalFiles {
    private static final int OPEN = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    private static final int CREATE = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC;
    private static final int AT_FDCWD = -100;
    private static final int MAX_LINKS = 40;
    private static final int CHUNK = 64 * 1024;

    private LocalFiles() {}

    /** How a call stopped, in the remote script's words (see {@link FileCall}). */
    static final class Stop extends RuntimeException {
        final int code;
        final String detail;

        Stop(int code, String detail) {
            super(detail, null, false, false);
            this.code = code;
            this.detail = detail;
        }
    }

    /** Binds the C library calls (JNA) ahead of the first file call, on the start-up thread. */
    static void warmUp() {
        supported();
        LibC.geteuid();
    }

    private static void supported() {
        if (LibC.O_NOFOLLOW < 0) {
            throw new HostException("matrix-install's local file calls do not know " + System.getProperty("os.arch"));
        }
    }

    private static Stop failed(String what, LastErrorException e) {
        return new Stop(1, what + ": " + LibC.strerror(e.getErrorCode()));
    }

    /** Type, mode, owner and size of an open descriptor (statx: one layout on every architecture). */
    record Stat(int type, int mode, int uid, int gid, long size) {
        boolean directory() {
            return type == 0040000;
        }

        String kind() {
            return switch (type) {
                case 0100000 -> "file";
                case 0040000 -> "directory";
                case 0010000 -> "fifo";
                case 0140000 -> "socket";
                case 0020000 -> "char";
                case 0060000 -> "block";
                case 0120000 -> "link";
                default -> "other";
            };
        }
    }

    static Stat stat(int fd) {
        byte[] buffer = new byte[LibC.STATX_SIZE_OF];
        try {
            LibC.statx(fd, "", AT_EMPTY_PATH, LibC.STATX_BASIC, buffer);
        } catch (LastErrorException e) {
            throw failed("cannot inspect", e);
        }
        ByteBuffer statx = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        int mode = statx.getShort(28) & 0xffff;
        return new Stat(mode & 0170000, mode & 07777, statx.getInt(20), statx.getInt(24), statx.getLong(40));
    }

    private static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // nothing was written through it that a failed close could lose (writes are fsynced first)
        }
    }

    /** An open directory and the name in it that a call acts on; closes the directory. */
    record Parent(int fd, String name) implements AutoCloseable {
        @Override
        public void close() {
            LocalFiles.close(fd);
        }
    }

    private static Deque<String> components(String path) {
        Deque<String> names = new ArrayDeque<>();
        Arrays.stream(path.split("/")).filter(n -> !n.isEmpty() && !n.equals(".")).forEach(names::addLast);
        return names;
    }

    private static int openRoot() {
        supported();
        try {
            return LibC.openat(AT_FDCWD, "/", OPEN, 0);
        } catch (LastErrorException e) {
            throw failed("cannot open /", e);
        }
    }

    /** Only root (or this user) can have made an entry here: owned by one of them, writable by no one else. */
    private static boolean trusted(int directory) {
        Stat stat = stat(directory);
        return (stat.uid() == 0 || stat.uid() == LibC.geteuid()) && (stat.mode() & 022) == 0;
    }

    /**
     * The directory holding {@code path}'s last component, walked to as the class comment says; null when a directory
     * on the way does not exist, unless {@code create}: then it is made, root 0755, and its parent flushed.
     */
    static Parent enter(Path path, boolean create) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        Deque<String> todo = components(path.toString());
        String name = todo.pollLast();
        if (name == null || name.equals("..")) {
            throw new Stop(1, "no file name in " + path);
        }
        int fd = openRoot();
        String at = "";
        String made = null;
        int links = 0;
        try {
            while (!todo.isEmpty()) {
                String component = todo.pollFirst();
                int next;
                try {
                    next = LibC.openat(fd, component, OPEN, 0);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == ELOOP) {
                        if (!trusted(fd)) {
                            throw new Stop(HostCommands.REMOTE_REFUSED, "via " + at + "/" + component);
                        }
                        if (++links > MAX_LINKS) {
                            throw new Stop(1, "too many symbolic links on the way to " + path);
                        }
                        String to = readLink(fd, component, at);
                        if (to.startsWith("/")) {
                            close(fd);
                            fd = openRoot();
                            at = "";
                        }
                        List<String> target = List.copyOf(components(to));
                        for (int i = target.size() - 1; i >= 0; i--) {
                            todo.addFirst(target.get(i));
                        }
                        continue;
                    }
                    if (e.getErrorCode() == ENOENT && create) {
                        made = makeDirectory(fd, component, at) ? component : null;
                        todo.addFirst(component);
                        continue;
                    }
                    if (e.getErrorCode() == ENOENT) {
                        close(fd);
                        return null;
                    }
                    throw failed("cannot open " + at + "/" + component, e);
                }
                try {
                    if (!stat(next).directory()) {
                        throw new Stop(1, at + "/" + component + " is not a directory");
                    }
                    if (component.equals(made)) {
                        LibC.fchmod(next, 0755); // exact, whatever the umask
                        LibC.fsync(fd); // the new entry survives a power loss
                    }
                } catch (LastErrorException e) {
                    close(next);
                    throw failed("cannot create " + at + "/" + component, e);
                } catch (RuntimeException e) {
                    close(next);
                    throw e;
                }
                made = null;
                close(fd);
                fd = next;
                at = component.equals("..") ? at.substring(0, Math.max(0, at.lastIndexOf('/'))) : at + "/" + component;
            }
            return new Parent(fd, name);
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    /** True when this call made it; false when it appeared meanwhile. */
    private static boolean makeDirectory(int directory, String name, String at) {
        try {
            LibC.mkdirat(directory, name, 0755);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EEXIST) {
                throw failed("cannot create " + at + "/" + name, e);
            }
            return false;
        }
    }

    private static String readLink(int directory, String name, String at) {
        byte[] buffer = new byte[4096];
        try {
            int n = LibC.readlinkat(directory, name, buffer, new NativeLong(buffer.length)).intValue();
            return new String(buffer, 0, n, StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            throw failed("cannot read the link " + at + "/" + name, e);
        }
    }

    /** The last component itself, never through a link, never waiting; refused unless one of {@code kinds}. */
    private static int open(Parent parent, String... kinds) {
        int fd;
        try {
            fd = LibC.openat(parent.fd(), parent.name(), OPEN, 0);
        } catch (LastErrorException e) {
            throw switch (e.getErrorCode()) {
                case ELOOP -> new Stop(HostCommands.REMOTE_SYMLINK, null);
                case ENOENT -> new Stop(HostCommands.REMOTE_ABSENT, null);
                case ENXIO -> new Stop(HostCommands.REMOTE_REFUSED, "type socket");
                default -> failed("cannot open", e);
            };
        }
        try {
            String kind = stat(fd).kind();
            if (!Arrays.asList(kinds).contains(kind)) {
                throw new Stop(HostCommands.REMOTE_REFUSED, "type " + kind);
            }
            return fd;
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    private static Parent existing(Path path) {
        Parent parent = enter(path, false);
        if (parent == null) {
            throw new Stop(HostCommands.REMOTE_ABSENT, null);
        }
        return parent;
    }

    /** The bytes of a regular file of at most {@code limit} bytes; empty when it does not exist. */
    static Optional<byte[]> read(Path path, long limit) {
        try (Parent parent = enter(path, false)) {
            if (parent == null) {
                return Optional.empty();
            }
            int fd;
            try {
                fd = open(parent, "file");
            } catch (Stop e) {
                if (e.code == HostCommands.REMOTE_ABSENT) {
                    return Optional.empty();
                }
                throw e;
            }
            try (Memory buffer = new Memory(CHUNK)) {
                if (stat(fd).size() > limit) {
                    throw new Stop(HostCommands.REMOTE_REFUSED, "large");
                }
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                while (true) {
                    int n = transfer(() -> LibC.read(fd, buffer, new NativeLong(CHUNK)).intValue(), "cannot read");
                    if (n == 0) {
                        return Optional.of(content.toByteArray());
                    }
                    content.write(buffer.getByteArray(0, n), 0, n);
                    if (content.size() > limit) {
                        throw new Stop(HostCommands.REMOTE_REFUSED, "large");
                    }
                }
            } finally {
                close(fd);
            }
        }
    }

    private interface Transfer {
        int run() throws LastErrorException;
    }

    private static int transfer(Transfer transfer, String what) {
        while (true) {
            try {
                return transfer.run();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failed(what, e);
                }
            }
        }
    }

    static void setOwnerAndMode(Path path, Ownership owner, int mode) {
        try (Parent parent = existing(path)) {
            int fd = open(parent, "file", "directory");
            try {
                ownerAndMode(fd, owner, mode);
            } finally {
                close(fd);
            }
        }
    }

    private static void ownerAndMode(int fd, Ownership owner, int mode) {
        try {
            LibC.fchown(fd, owner.uid(), owner.gid());
        } catch (LastErrorException e) {
            throw failed("owner " + owner.uid() + ":" + owner.gid(), e);
        }
        try {
            LibC.fchmod(fd, mode);
        } catch (LastErrorException e) {
            throw failed("mode " + FileState.modeString(mode), e);
        }
    }

    /** Missing parents root 0755, new entries flushed; then owner and mode of the directory itself. */
    static void createDirectory(Path path, Ownership owner, int mode) {
        try (Parent parent = enter(path, true)) {
            boolean created;
            try {
                LibC.mkdirat(parent.fd(), parent.name(), 0700);
                created = true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EEXIST) {
                    throw failed("cannot create", e);
                }
                created = false;
            }
            int fd = open(parent, "directory");
            try {
                if (created) {
                    LibC.fsync(parent.fd());
                }
                ownerAndMode(fd, owner, mode);
            } catch (LastErrorException e) {
                throw failed("cannot flush", e);
            } finally {
                close(fd);
            }
        }
    }

    /** The name a write of {@code path} goes through; fixed, so the next write of the file removes a stale one. */
    static String temporaryName(String name) {
        return "." + name + ".matrix-install.tmp";
    }

    /**
     * Written aside under the temporary name (created new, never through a link), given owner and mode, flushed,
     * renamed over the target (rename never follows a link there) and the directory flushed. A link at the target
     * is refused.
     */
    static void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        try (Parent parent = existing(path)) {
            if (isLink(parent)) {
                throw new Stop(HostCommands.REMOTE_SYMLINK, null);
            }
            String temporary = temporaryName(parent.name());
            unlink(parent.fd(), temporary); // a killed run's leftover, or a link planted at the name
            boolean renamed = false;
            try {
                try (OutputStream out = create(parent.fd(), temporary, owner, mode)) {
                    out.write(content);
                }
                LibC.renameat(parent.fd(), temporary, parent.fd(), parent.name());
                renamed = true;
                LibC.fsync(parent.fd());
            } catch (IOException e) {
                throw new Stop(1, e.getMessage());
            } catch (LastErrorException e) {
                throw failed(renamed ? "cannot flush the directory" : "cannot rename", e);
            } finally {
                if (!renamed) {
                    try {
                        LibC.unlinkat(parent.fd(), temporary, 0);
                    } catch (LastErrorException ignored) {
                        // never created, or already gone: the failure above is what to report
                    }
                }
            }
        }
    }

    private static boolean isLink(Parent parent) {
        byte[] buffer = new byte[LibC.STATX_SIZE_OF];
        try {
            LibC.statx(parent.fd(), parent.name(), LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC, buffer);
        } catch (LastErrorException e) {
            return false; // absent, or unreadable: the write's own open says why
        }
        int mode = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()).getShort(28) & 0170000;
        return mode == 0120000;
    }

    private static void unlink(int directory, String name) {
        try {
            LibC.unlinkat(directory, name, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENOENT) {
                throw failed("cannot remove " + name, e);
            }
        }
    }

    /**
     * A new file {@code name} in the directory (anything there before removed), created exclusively without following
     * a link, with owner and mode set before the first byte; the stream flushes it to disk when closed.
     */
    private static OutputStream create(int directory, String name, Ownership owner, int mode) {
        int fd;
        try {
            fd = LibC.openat(directory, name, CREATE, 0600);
        } catch (LastErrorException e) {
            throw failed("cannot create " + name, e);
        }
        try {
            ownerAndMode(fd, owner, mode);
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
        return new DescriptorOutput(fd);
    }

    /** For a command's output ({@code execToFile}): the file, replaced, created as {@link #create} says. */
    static OutputStream createForOutput(Path path, Ownership owner, int mode) {
        try (Parent parent = existing(path)) {
            unlink(parent.fd(), parent.name());
            return create(parent.fd(), parent.name(), owner, mode);
        }
    }

    /** A file or an empty directory, never through a link on the way; absent is fine. */
    static void remove(Path path) {
        try (Parent parent = enter(path, false)) {
            if (parent == null) {
                return;
            }
            try {
                LibC.unlinkat(parent.fd(), parent.name(), 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EISDIR) {
                    try {
                        LibC.unlinkat(parent.fd(), parent.name(), AT_REMOVEDIR);
                    } catch (LastErrorException again) {
                        throw failed("cannot remove", again);
                    }
                } else if (e.getErrorCode() != ENOENT) {
                    throw failed("cannot remove", e);
                }
            }
        }
    }

    /** Writes to a descriptor; close flushes the file to disk (fsync) and closes it. */
    private static final class DescriptorOutput extends OutputStream {
        private final int fd;
        private final Memory buffer = new Memory(CHUNK);
        private boolean closed;

        DescriptorOutput(int fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int done = 0;
            while (done < length) {
                int chunk = Math.min(CHUNK, length - done);
                buffer.write(0, bytes, offset + done, chunk);
                int written = 0;
                while (written < chunk) {
                    int from = written;
                    try {
                        written += transfer(() -> LibC.write(fd, buffer.share(from), new NativeLong(chunk - from)).intValue(),
                                "cannot write");
                    } catch (Stop e) {
                        throw new IOException(e.detail, e);
                    }
                }
                done += chunk;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                LibC.fsync(fd);
            } catch (LastErrorException e) {
                throw new IOException("cannot flush: " + LibC.strerror(e.getErrorCode()), e);
            } finally {
                LocalFiles.close(fd);
                buffer.close();
            }
        }
    }
}
