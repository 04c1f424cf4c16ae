package io.matrixinstall.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * The few C library calls {@link LocalFiles} needs and NIO lacks: opening relative to a directory descriptor with
 * O_NOFOLLOW and O_NONBLOCK, and owner, mode and type of an open descriptor. Loaded on first use (JNA, which the
 * jar carries anyway for docker-java). Linux only, like the agent.
 *
 * <p>Direct mapping (static natives bound once, when this class is initialised), not an interface proxy: a call costs
 * about a microsecond instead of JNA's reflective dispatch (~20 µs while the JVM still interprets it), and a run makes
 * hundreds (every managed path is walked from / one component at a time). Bound only on an architecture whose
 * O_NOFOLLOW is known; {@link LocalFiles} refuses the others before a first call.
 */
final class LibC {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    /** The one flag used here whose value differs between architectures. */
    static final int O_NOFOLLOW = noFollow(System.getProperty("os.arch"));

    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;

    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINTR = 4;
    static final int ELOOP = 40;

    /** statx: type and mode, owner, size; struct statx has one layout on every architecture. */
    static final int STATX_BASIC = 0x7ff;
    static final int STATX_SIZE_OF = 256;

    static int noFollow(String arch) {
        return switch (arch) {
            case "amd64", "x86_64", "riscv64", "s390x", "loongarch64" -> 0400000;
            case "aarch64", "arm", "ppc64le", "ppc64" -> 0100000;
            default -> -1; // refused when first used: see LocalFiles
        };
    }

    static {
        if (O_NOFOLLOW >= 0) {
            // On its first use JNA's NativeLibrary asks `ldconfig -p` for the system's library directories (a program
            // started on every run) unless told them; the C library is the process's own (JNA opens it by its
            // soname from the process, no search), so none are needed.
            if (System.getProperty("jna.platform.library.path") == null) {
                System.setProperty("jna.platform.library.path", "");
            }
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME,
                    Map.of(Library.OPTION_STRING_ENCODING, "UTF-8")));
        }
    }

    private LibC() {}

    static native int openat(int directory, String path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int fchown(int fd, int uid, int gid) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    static native int fsync(int fd) throws LastErrorException;

    static native int statx(int directory, String path, int flags, int mask, byte[] statx) throws LastErrorException;

    static native NativeLong read(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

    static native NativeLong write(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

    static native int mkdirat(int directory, String path, int mode) throws LastErrorException;

    static native int unlinkat(int directory, String path, int flags) throws LastErrorException;

    static native int renameat(int fromDirectory, String from, int toDirectory, String to) throws LastErrorException;

    static native NativeLong readlinkat(int directory, String path, byte[] buffer, NativeLong size) throws LastErrorException;

    static native int geteuid();

    static native String strerror(int errno);
}
