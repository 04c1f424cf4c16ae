package io.matrixinstall.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * The few C library calls {@link LocalFiles} needs and NIO lacks: opening relative to a directory descriptor with
 * O_NOFOLLOW and O_NONBLOCK, and owner, mode and type of an open descriptor. Loaded on first use (JNA, which the
 * jar carries anyway for docker-java). Linux only, like the agent.
 */
interface LibC extends Library {
    int O_RDONLY = 0;
    int O_WRONLY = 01;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOCTTY = 0400;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    /** The one flag used here whose value differs between architectures. */
    int O_NOFOLLOW = noFollow(System.getProperty("os.arch"));

    int AT_SYMLINK_NOFOLLOW = 0x100;
    int AT_REMOVEDIR = 0x200;
    int AT_EMPTY_PATH = 0x1000;

    int ENOENT = 2;
    int ENXIO = 6;
    int EEXIST = 17;
    int ENOTDIR = 20;
    int EISDIR = 21;
    int EINTR = 4;
    int ELOOP = 40;

    /** statx: type and mode, owner, size; struct statx has one layout on every architecture. */
    int STATX_BASIC = 0x7ff;
    int STATX_SIZE_OF = 256;

    static int noFollow(String arch) {
        return switch (arch) {
            case "amd64", "x86_64", "riscv64", "s390x", "loongarch64" -> 0400000;
            case "aarch64", "arm", "ppc64le", "ppc64" -> 0100000;
            default -> -1; // refused when first used: see LocalFiles
        };
    }

    static LibC load() {
        return Native.load("c", LibC.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    }

    int openat(int directory, String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int fchown(int fd, int uid, int gid) throws LastErrorException;

    int fchmod(int fd, int mode) throws LastErrorException;

    int fsync(int fd) throws LastErrorException;

    int statx(int directory, String path, int flags, int mask, byte[] statx) throws LastErrorException;

    NativeLong read(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

    int mkdirat(int directory, String path, int mode) throws LastErrorException;

    int unlinkat(int directory, String path, int flags) throws LastErrorException;

    int renameat(int fromDirectory, String from, int toDirectory, String to) throws LastErrorException;

    NativeLong readlinkat(int directory, String path, byte[] buffer, NativeLong size) throws LastErrorException;

    int geteuid();

    String strerror(int errno);
}
