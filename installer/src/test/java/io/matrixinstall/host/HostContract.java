package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every Host must do, asserted the same way for each implementation (LocalHost, and SshHost through a real
 * sshd on this machine, whose file system is this one: results are checked with plain NIO). Runs as root, like
 * the agent on a server.
 */
@org.junit.jupiter.api.Timeout(120)
abstract class HostContract {
    private static final Ownership SYNAPSE = new Ownership(991, 991);

    @TempDir
    Path dir;

    @TempDir
    Path runDir;

    /** The host under test; closed by the subclass. */
    abstract Host host();

    /** A second, independent agent on the same machine (its own process or connection). */
    abstract Host secondAgent();

    private static Command of(String... argv) {
        return new Command(List.of(argv), Optional.empty(), Map.of(), Duration.ofSeconds(60));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void writesAtomicallyWithOwnerAndModeAndLeavesNothingBeside() throws IOException {
        Path target = dir.resolve("homeserver.yaml");
        host().writeAtomically(target, bytes("server_name: a\n"), Ownership.ROOT, 0600);
        host().writeAtomically(target, bytes("server_name: b\n"), SYNAPSE, 0640);
        assertEquals("server_name: b\n", Files.readString(target));
        assertEquals("rw-r-----", mode(target));
        assertEquals(991, Files.getAttribute(target, "unix:uid"));
        assertEquals(991, Files.getAttribute(target, "unix:gid"));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(target), listing.toList(), "no temp file stays");
        }
        byte[] all = new byte[256 * 4];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        host().writeAtomically(target, all, Ownership.ROOT, 0644);
        assertArrayEquals(all, Files.readAllBytes(target), "binary content, byte for byte");
        host().writeAtomically(target, new byte[0], Ownership.ROOT, 0644);
        assertEquals(0, Files.size(target));
    }

    @Test
    void refusesALinkAtTheTargetAndNeverWritesThroughOneAtATempName() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "must stay as it is\n");
        Path target = dir.resolve("signing.key");
        Files.createSymbolicLink(target, victim);
        HostException refused = assertThrows(HostException.class,
                () -> host().writeAtomically(target, bytes("secret\n"), Ownership.ROOT, 0600));
        assertEquals("refusing to write " + target + ": it is a symbolic link, which could redirect root"
                + " elsewhere; remove it and run again", refused.getMessage());
        assertEquals("must stay as it is\n", Files.readString(victim));
        Files.delete(target);
        // Links planted where either host stages its write.
        Files.createSymbolicLink(dir.resolve(".signing.key.matrix-install.tmp"), victim);
        Files.createSymbolicLink(dir.resolve(".signing.key.matrix-install.d"), dir);
        host().writeAtomically(target, bytes("secret\n"), Ownership.ROOT, 0600);
        assertEquals("secret\n", Files.readString(target));
        assertFalse(Files.isSymbolicLink(target));
        assertEquals("must stay as it is\n", Files.readString(victim));
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), victim);
        HostException read = assertThrows(HostException.class, () -> host().read(linked));
        assertEquals("refusing to read " + linked + ": it is a symbolic link, which could redirect root"
                + " elsewhere; remove it and run again", read.getMessage());
        assertThrows(HostException.class, () -> host().setOwnerAndMode(linked, SYNAPSE, 0666));
        assertThrows(HostException.class, () -> host().createDirectory(linked, SYNAPSE, 0700));
        assertEquals(0, Files.getAttribute(victim, "unix:uid"));
    }

    @Test
    void readsStatsAndListsWhatIsThere() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("media store"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-x---"));
        Path file = Files.write(dir.resolve("b.key"), new byte[] {0, 1, (byte) 255, '\n'});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("a-link"), file);
        Path absent = dir.resolve("absent");
        assertArrayEquals(new byte[] {0, 1, (byte) 255, '\n'}, host().read(file).orElseThrow());
        assertTrue(host().read(absent).isEmpty());
        Map<Path, Optional<FileState>> states = host().statAll(List.of(sub, file, link, absent));
        assertEquals(List.of(sub, file, link, absent), List.copyOf(states.keySet()));
        assertEquals(new FileState(true, Ownership.ROOT, 0750), states.get(sub).orElseThrow());
        assertEquals(new FileState(false, Ownership.ROOT, 0600), states.get(file).orElseThrow());
        assertFalse(states.get(link).orElseThrow().directory(), "a link is not followed");
        assertTrue(states.get(absent).isEmpty());
        assertEquals(states.get(file), host().stat(file));
        assertEquals(List.of("a-link", "b.key", "media store"), host().list(dir));
        assertEquals(List.of(), host().list(absent));
        assertTrue(host().osRelease().id().length() > 0);
    }

    /** Links are reported as links, with their text as written, so a caller can follow and check each step itself. */
    @Test
    void tellsALinkAndWhatItHolds() throws IOException {
        Path file = Files.writeString(dir.resolve("java"), "x");
        Path relative = Files.createSymbolicLink(dir.resolve("relative link"), Path.of("../" + dir.getFileName() + "/java"));
        Path absolute = Files.createSymbolicLink(dir.resolve("absolute"), file);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("/no/such/target\nwith a newline"));
        Map<Path, Optional<FileState>> states = host().statAll(List.of(file, relative, dir, absolute, dangling, dir.resolve("absent")));
        assertEquals(Optional.of(Path.of("../" + dir.getFileName() + "/java")), states.get(relative).orElseThrow().linkTarget());
        assertEquals(Optional.of(file), states.get(absolute).orElseThrow().linkTarget());
        assertEquals(Optional.of(Path.of("/no/such/target\nwith a newline")), states.get(dangling).orElseThrow().linkTarget());
        assertTrue(states.get(relative).orElseThrow().symbolicLink());
        assertFalse(states.get(file).orElseThrow().symbolicLink());
        assertFalse(states.get(dir).orElseThrow().symbolicLink());
        assertTrue(states.get(dir.resolve("absent")).isEmpty());
        assertEquals(states.get(absolute), host().stat(absolute));
    }

    @Test
    void readsManyFilesAtOnceInOrderAndRefusesALinkAmongThem() throws IOException {
        byte[] large = new byte[300_000];
        new java.util.Random(9).nextBytes(large);
        Path binary = Files.write(dir.resolve("b key"), new byte[] {0, 1, (byte) 255, '\n'});
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Path big = Files.write(dir.resolve("big"), large);
        Path absent = dir.resolve("absent");
        Map<Path, Optional<byte[]>> all = host().readAll(List.of(big, absent, binary, empty));
        assertEquals(List.of(big, absent, binary, empty), List.copyOf(all.keySet()));
        assertArrayEquals(large, all.get(big).orElseThrow());
        assertTrue(all.get(absent).isEmpty());
        assertArrayEquals(new byte[] {0, 1, (byte) 255, '\n'}, all.get(binary).orElseThrow());
        assertArrayEquals(new byte[0], all.get(empty).orElseThrow());
        assertTrue(host().readAll(List.of()).isEmpty());
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), binary);
        HostException read = assertThrows(HostException.class, () -> host().readAll(List.of(binary, linked)));
        assertEquals("refusing to read " + linked + ": it is a symbolic link, which could redirect root"
                + " elsewhere; remove it and run again", read.getMessage());
    }

    @Test
    void createsDirectoriesSetsOwnersAndRemoves() throws IOException {
        Path deep = dir.resolve("data/matrix/synapse");
        host().createDirectory(deep, SYNAPSE, 0750);
        assertEquals("rwxr-x---", mode(deep));
        assertEquals(991, Files.getAttribute(deep, "unix:uid"));
        assertEquals("rwxr-xr-x", mode(dir.resolve("data/matrix")), "missing parents are root 0755");
        assertEquals(0, Files.getAttribute(dir.resolve("data/matrix"), "unix:uid"));
        Path file = Files.writeString(deep.resolve("x"), "x");
        host().setOwnerAndMode(file, SYNAPSE, 0604);
        assertEquals("rw----r--", mode(file));
        assertEquals(991, Files.getAttribute(file, "unix:gid"));
        host().remove(file);
        host().remove(file); // absent is fine
        host().remove(deep); // an empty directory
        assertFalse(Files.exists(deep));
        assertThrows(HostException.class, () -> host().setOwnerAndMode(file, SYNAPSE, 0600));
    }

    /** A directory owned by Synapse's uid, like {@code files/}: everything in it is that user's to swap. */
    private Path synapseDirectory(Path path) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(path, "unix:uid", 991, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", 991, LinkOption.NOFOLLOW_LINKS);
        return path;
    }

    private static String ownerAndMode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS) + " " + mode(path);
    }

    @Test
    void aDirectorySwappedForALinkMidCallNeverRedirectsAnOwnerOrModeChangeOrAWrite() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // 991 reaches files/
        Path etc = Files.createDirectories(dir.resolve("etc/inner")).getParent(); // root's, standing for /etc
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(etc.resolve("inner"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path files = synapseDirectory(dir.resolve("files"));
        Path mediaStore = synapseDirectory(files.resolve("media_store"));
        Path inner = synapseDirectory(mediaStore.resolve("inner"));
        Files.createSymbolicLink(files.resolve("swap"), etc);
        int applied = 0;
        int refused = 0;
        try (LinkSwapper swapper = new LinkSwapper(files, "media_store", "swap")) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(8);
            for (int i = 0; i < 120 && System.nanoTime() < deadline; i++) {
                int mode = i % 2 == 0 ? 0750 : 0755; // a drifted mode, fixed again and again
                List<Runnable> calls = List.of(
                        () -> host().setOwnerAndMode(mediaStore, SYNAPSE, mode),
                        () -> host().createDirectory(mediaStore, SYNAPSE, mode),
                        () -> host().setOwnerAndMode(inner, SYNAPSE, mode),
                        () -> host().writeAtomically(inner.resolve("x"), bytes("x"), SYNAPSE, 0600));
                for (Runnable call : calls) {
                    try {
                        call.run();
                        applied++;
                    } catch (HostException e) {
                        assertTrue(e.getMessage().startsWith("refusing to "), e.getMessage());
                        refused++;
                    }
                }
                assertEquals("0:0 rwxr-xr-x", ownerAndMode(etc), "after " + (i + 1) + " rounds");
                assertEquals("0:0 rwxr-xr-x", ownerAndMode(etc.resolve("inner")), "after " + (i + 1) + " rounds");
                try (var written = Files.list(etc.resolve("inner"))) {
                    assertEquals(List.of(), written.toList(), "nothing is written into root's directory");
                }
            }
            assertTrue(swapper.swapping(), "991 swapped all along");
        }
        assertTrue(applied > 0 && refused > 0, "the race really interleaved: " + applied + " calls applied, " + refused
                + " refused");
    }

    @Test
    void aFifoAtTheSigningKeyOrTheConfigIsRefusedInOneLineAtOnceWhileTheLockIsHeld() throws Exception {
        Path files = synapseDirectory(dir.resolve("files"));
        Path key = files.resolve("matrix.example.org.signing.key");
        Path config = files.resolve("homeserver.yaml");
        try (Fifo keyPipe = Fifo.plant(key, 991); Fifo configPipe = Fifo.plant(config, 991);
                HostLock lock = host().lock("refresh", Duration.ZERO, line -> {})) {
            HostException read = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(HostException.class, () -> host().read(key)));
            assertEquals("refusing to read " + key + ": it is a FIFO, not a regular file; remove it and run again",
                    read.getMessage());
            HostException all = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(HostException.class, () -> host().readAll(List.of(files.resolve("absent"), config, key))));
            assertEquals("refusing to read " + config + ": it is a FIFO, not a regular file; remove it and run again",
                    all.getMessage());
            HostException owner = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(HostException.class, () -> host().setOwnerAndMode(config, SYNAPSE, 0600)));
            assertEquals("refusing to set owner and mode of " + config + ": it is a FIFO, not a regular file or directory;"
                    + " remove it and run again", owner.getMessage());
        }
    }

    /**
     * The agent's jar is compared with its copy on the host by a command among the run's first reads, before the
     * guard has checked the copy's directory: a FIFO someone planted there must not hold root's run (it did, for the
     * command's two minutes), nor pass for the jar.
     */
    @Test
    void aFifoWhereTheAgentsJarGoesIsNeverWaitedOn() throws Exception {
        Path jar = Files.write(dir.resolve("matrix-install.jar"), bytes("PK the agent"));
        Path evil = Files.createDirectories(dir.resolve("evil"));
        Path copy = evil.resolve("matrix-install.jar");
        try (Fifo pipe = Fifo.plant(copy, 65534)) {
            ExecResult same = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> host().exec(Commands.sameBytes(jar, copy)));
            assertTrue(same.exitCode() != 0, "not the same bytes: " + same);
            ExecResult digest = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> host().exec(Commands.copySha256(copy)));
            assertFalse(digest.ok(), "no digest of a FIFO: " + digest);
        }
        Files.delete(copy);
        Files.write(copy, bytes("PK the agent"));
        assertEquals(0, host().exec(Commands.sameBytes(jar, copy)).exitCode());
        assertEquals(host().exec(Commands.sha256(jar)).stdout().split("\\s+")[0],
                host().exec(Commands.copySha256(copy)).stdout().split("\\s+")[0]);
        assertTrue(host().exec(Commands.copySha256(copy)).stdout().matches("[0-9a-f]{64}\\s.*\\n"), "sha256sum's answer");
    }

    /**
     * The quick check of the agent's copy (steps/JarRecord) asks the host for the copy's and its record's stat and the
     * record's bytes among the run's first reads, before the guard has checked their directory: a FIFO there is
     * reported as one and never waited on, a link is reported as a link and not read through, and a change to the
     * copy whose mtime is put back still shows, in its ctime.
     */
    @Test
    void theJarCopysIdentityIsReadWithoutFollowingALinkOrWaitingForAWriter() throws Exception {
        Path agentDir = Files.createDirectories(dir.resolve("agent"));
        Path copy = Files.write(agentDir.resolve("matrix-install.jar"), bytes("PK the agent"));
        Path record = agentDir.resolve("matrix-install.jar.record");
        Files.write(dir.resolve("forged"), bytes("forged record\n"));
        Files.createSymbolicLink(record, dir.resolve("forged"));
        List<String> linked = identity(copy, record);
        assertEquals(List.of(stat(copy), stat(record)), linked, "two stat lines and nothing read through the link");
        assertTrue(linked.get(1).startsWith("a1ff 0 0 "), linked.toString());
        Files.delete(record);
        try (Fifo pipe = Fifo.plant(record, 65534)) {
            List<String> fifo = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> identity(copy, record));
            assertEquals(List.of(stat(copy), stat(record)), fifo);
            assertTrue(fifo.get(1).startsWith("1180 65534 65534 "), fifo.toString()); // a FIFO, 0600
        }
        Files.delete(record);
        assertEquals(List.of(stat(copy), "-"), identity(copy, record), "no record");
        Files.write(record, bytes("matrix-install jar record 1\n"));
        assertEquals(List.of(stat(copy), stat(record), "matrix-install jar record 1"), identity(copy, record));
        // The same size and the same mtime, other bytes: only the ctime tells.
        String before = identity(copy, record).get(0);
        FileTime mtime = Files.getLastModifiedTime(copy);
        Thread.sleep(20);
        try (FileChannel in = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            in.write(ByteBuffer.wrap(bytes("XX")), 0);
        }
        Files.setLastModifiedTime(copy, mtime);
        String after = identity(copy, record).get(0);
        assertEquals(before.split(" ")[5], after.split(" ")[5], "the mtime is back");
        assertEquals(before.split(" ")[3] + " " + before.split(" ")[4], after.split(" ")[3] + " " + after.split(" ")[4],
                "the same inode and size");
        assertNotEquals(before.split(" ")[6], after.split(" ")[6], "a new ctime");
        assertEquals(stat(copy), after);
    }

    /** The lines of Commands.jarCopyIdentity's answer on the host under test. */
    private List<String> identity(Path copy, Path record) {
        ExecResult answer = host().exec(Commands.jarCopyIdentity(copy, record));
        assertEquals(0, answer.exitCode(), answer.toString());
        return answer.stdout().lines().toList();
    }

    /** The stat line this machine's NIO gives for {@code path} (the host's file system is this one). */
    private static String stat(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,ino,size,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        return Integer.toHexString((Integer) unix.get("mode")) + " " + unix.get("uid") + " " + unix.get("gid") + " "
                + unix.get("ino") + " " + unix.get("size") + " " + seconds((FileTime) unix.get("lastModifiedTime"))
                + " " + seconds((FileTime) unix.get("ctime"));
    }

    private static String seconds(FileTime time) {
        Instant at = time.toInstant();
        return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
    }

    @Test
    void aFileLargerThanAnyTheAgentReadsIsRefused() throws IOException {
        Path huge = dir.resolve("homeserver.yaml");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength((64L << 20) + 1); // sparse: no disk used
        }
        Path limit = dir.resolve("limit");
        try (var file = new java.io.RandomAccessFile(limit.toFile(), "rw")) {
            file.setLength(64L << 20);
        }
        HostException read = assertThrows(HostException.class, () -> host().read(huge));
        assertEquals("refusing to read " + huge + ": it is larger than 64 MiB, more than any file matrix-install reads",
                read.getMessage());
        HostException all = assertThrows(HostException.class, () -> host().readAll(List.of(limit, huge)));
        assertEquals(read.getMessage(), all.getMessage());
        assertEquals(64L << 20, host().read(limit).orElseThrow().length, "64 MiB itself is read");
    }

    @Test
    void aLinkOnTheWayIsFollowedOnlyWhereNoOtherUserCouldHavePlantedIt() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path key = Files.writeString(real.resolve("signing.key"), "ed25519 a_old key\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        // Root's own link (the base directory on another volume, say): only root can have made it.
        Path base = Files.createSymbolicLink(dir.resolve("base"), real);
        assertEquals("ed25519 a_old key\n", new String(host().read(base.resolve("signing.key")).orElseThrow(),
                StandardCharsets.UTF_8));
        host().setOwnerAndMode(base.resolve("signing.key"), Ownership.ROOT, 0640);
        assertEquals("rw-r-----", mode(key));
        host().writeAtomically(base.resolve("new"), bytes("n"), Ownership.ROOT, 0600);
        assertEquals("n", Files.readString(real.resolve("new")));
        // The same link in a directory Synapse's uid can write: it may be theirs.
        Path files = synapseDirectory(dir.resolve("files"));
        Path mediaStore = Files.createSymbolicLink(files.resolve("media_store"), real);
        Path through = mediaStore.resolve("signing.key");
        String why = ": " + mediaStore + " is a symbolic link in a directory another user can write, which could redirect"
                + " root elsewhere; remove it and run again";
        HostException read = assertThrows(HostException.class, () -> host().read(through));
        assertEquals("refusing to read " + through + why, read.getMessage());
        HostException all = assertThrows(HostException.class, () -> host().readAll(List.of(key, through)));
        assertEquals("refusing to read " + through + why, all.getMessage());
        HostException owner = assertThrows(HostException.class, () -> host().setOwnerAndMode(through, SYNAPSE, 0666));
        assertEquals("refusing to set owner and mode of " + through + why, owner.getMessage());
        HostException write = assertThrows(HostException.class,
                () -> host().writeAtomically(mediaStore.resolve("new"), bytes("x"), SYNAPSE, 0666));
        assertEquals("refusing to write " + mediaStore.resolve("new") + why, write.getMessage());
        HostException directory = assertThrows(HostException.class,
                () -> host().createDirectory(mediaStore.resolve("sub"), SYNAPSE, 0700));
        assertEquals("refusing to use " + mediaStore.resolve("sub") + why, directory.getMessage());
        HostException remove = assertThrows(HostException.class, () -> host().remove(through));
        assertEquals("refusing to remove " + through + why, remove.getMessage());
        HostException dump = assertThrows(HostException.class,
                () -> host().execToFile(of("printf", "x"), mediaStore.resolve("dump"), SYNAPSE, 0600));
        assertEquals("refusing to write " + mediaStore.resolve("dump") + why, dump.getMessage());
        assertEquals("0:0 rw-r-----", ownerAndMode(key));
        assertEquals("n", Files.readString(real.resolve("new")));
        assertFalse(Files.exists(real.resolve("sub")));
        assertFalse(Files.exists(real.resolve("dump")));
    }

    @Test
    void runsCommandsWithTheirEnvironmentDirectoryAndExitCode() throws IOException {
        ExecResult result = host().exec(new Command(List.of("sh", "-c", "echo \"$GREETING\" in $(pwd); echo oops >&2; exit 3"),
                Optional.of(dir), Map.of("GREETING", "it's a \"test\" $HOME"), Duration.ofSeconds(20)));
        assertEquals(3, result.exitCode());
        assertEquals("it's a \"test\" $HOME in " + dir + "\n", result.stdout());
        assertEquals("oops\n", result.stderr());
        assertEquals("a b\n'c'\n", host().exec(of("printf", "%s\\n", "a b", "'c'")).stdout());
        assertThrows(HostException.class, () -> host().exec(of("matrix-install-no-such-program")));
        Path dump = dir.resolve("backup.dump");
        ExecResult toFile = host().execToFile(of("printf", "dump\\0data"), dump, SYNAPSE, 0600);
        assertEquals(0, toFile.exitCode());
        assertArrayEquals(new byte[] {'d', 'u', 'm', 'p', 0, 'd', 'a', 't', 'a'}, Files.readAllBytes(dump));
        assertEquals("rw-------", mode(dump));
        assertEquals(991, Files.getAttribute(dump, "unix:uid"));
    }

    @Test
    void aCommandsOutputGoesOnlyIntoTheFileCreatedForIt() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched");
        Path dump = dir.resolve("backup.dump");
        Files.createSymbolicLink(dump, victim); // planted before: replaced, never followed
        // While the program runs, the name is taken away and a link put there: the output stays in the file made.
        ExecResult toFile = host().execToFile(of("sh", "-c", "mv -- \"$1\" \"$1.moved\" && ln -s victim \"$1\" && printf data",
                "sh", dump.toString()), dump, Ownership.ROOT, 0600);
        assertEquals(0, toFile.exitCode(), toFile.stderr());
        assertEquals("untouched", Files.readString(victim));
        assertEquals("data", Files.readString(dir.resolve("backup.dump.moved")));
        assertEquals("rw-------", mode(dir.resolve("backup.dump.moved")));
    }

    @Test
    void feeds64MiBOfInputStreamed() {
        long size = 64L << 20;
        InputStream zeros = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        ExecResult result = host().execWithInput(of("wc", "-c"), zeros);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(String.valueOf(size), result.stdout().trim());
    }

    @Test
    void startsADuplexStream() throws IOException {
        try (HostProcess cat = host().start(of("cat"))) {
            for (String word : List.of("ping\n", "pong\n")) {
                cat.input().write(bytes(word));
                cat.input().flush();
                assertEquals(word, new String(cat.output().readNBytes(5), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void reachesAPortAsTheHostSeesIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = server.accept()) {
                        s.getOutputStream().write(s.getInputStream().readNBytes(6));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            echo.setDaemon(true);
            echo.start();
            InetSocketAddress reached = host().reach("127.0.0.1", server.getLocalPort());
            for (int i = 0; i < 2; i++) {
                try (Socket client = new Socket()) {
                    client.connect(reached, 5000);
                    client.getOutputStream().write(bytes("hello\n"));
                    assertEquals("hello\n", new String(client.getInputStream().readNBytes(6), StandardCharsets.UTF_8));
                }
            }
            assertEquals(reached, host().reach("127.0.0.1", server.getLocalPort()), "one forward per destination");
        }
    }

    @Test
    void theLockExcludesASecondAgentNamesItsHolderAndIsFreeAgainAfter() throws IOException {
        assertThrows(IllegalStateException.class, () -> host().scratchDirectory("synapse-config-check"));
        Path stale = Files.createDirectories(runDir.resolve("scratch/synapse-config-check/media_store"));
        Host second = secondAgent();
        try (HostLock lock = host().lock("up", Duration.ZERO, line -> {})) {
            assertTrue(lock.holder().matches("pid \\d+, up, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ.*"),
                    lock.holder());
            assertFalse(Files.exists(stale), "what a killed holder staged is cleared");
            assertEquals(lock.holder() + "\n", Files.readString(runDir.resolve("lock")));
            HostBusyException busy = assertThrows(HostBusyException.class,
                    () -> second.lock("renew", Duration.ZERO, line -> {}));
            assertEquals(lock.holder(), busy.holder());
            List<String> said = new java.util.ArrayList<>();
            long start = System.nanoTime();
            assertThrows(HostBusyException.class, () -> second.lock("renew", Duration.ofSeconds(1), said::add));
            assertTrue(System.nanoTime() - start >= 900_000_000L, "it waited");
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.get(0).contains("held by " + lock.holder()), said.get(0));
            Path scratch = host().scratchDirectory("synapse-config-check");
            assertEquals(runDir.resolve("scratch/synapse-config-check"), scratch);
            assertEquals("rwx------", mode(scratch));
            host().writeAtomically(scratch.resolve("homeserver.yaml"), new byte[] {1}, Ownership.ROOT, 0600);
            host().removeScratchDirectory("synapse-config-check");
            assertFalse(Files.exists(scratch));
        }
        assertEquals("", Files.readString(runDir.resolve("lock")), "a released lock names nobody");
        try (HostLock again = second.lock("renew", Duration.ZERO, line -> {})) {
            assertTrue(again.holder().contains(", renew, "));
        }
    }

    /** getent's answer on the host, parsed by Host.resolve: /etc/hosts first, no address for a name nothing knows. */
    @Test
    void namesResolveAsTheHostsResolverAnswers() {
        List<String> localhost = host().resolve("localhost");
        assertTrue(localhost.contains("127.0.0.1") || localhost.contains("::1"), localhost.toString());
        assertEquals(localhost.stream().distinct().toList(), localhost, "one entry an address");
        assertEquals(List.of("127.0.0.1"), host().resolve("127.0.0.1"));
        assertEquals(List.of(), host().resolve("nowhere.invalid"), "RFC 6761: never resolves");
        assertEquals(List.of(), host().resolve("--help"), "a name is never an option");
    }

    /**
     * A snapshot answers each of many read-only commands in its own place, as that command run on its own answers:
     * more of them than run at once, slow and quick ones mixed (they start in another order than they answer), a
     * failure, a missing program, output with line breaks and bytes of every kind; and the files beside them.
     */
    @Test
    void aSnapshotAnswersEachCommandInItsPlace() throws IOException {
        Path file = Files.writeString(dir.resolve("homeserver.yaml"), "server_name: a\n");
        List<Command> commands = new java.util.ArrayList<>();
        for (int i = 0; i < HostCommands.PARALLEL_READS + 3; i++) {
            commands.add(of("sh", "-c", "sleep 0.$1; printf 'line %s\\nsecond' \"$1\"; printf 'warn %s' \"$1\" >&2", "sh",
                    Integer.toString(9 - i)));
        }
        commands.add(of("sh", "-c", "echo nope >&2; exit 3"));
        commands.add(of("no-such-program-here", "x"));
        commands.add(of("printf", "\\001\\377\\000end"));
        commands.add(of("ss", "-H", "-l", "-t", "-n"));
        Snapshot snapshot = host().snapshot(new Snapshot.Request(List.of(file, dir.resolve("absent")), List.of(file), List.of(),
                commands));
        for (int i = 0; i < HostCommands.PARALLEL_READS + 3; i++) {
            ExecResult answer = snapshot.results().get(commands.get(i).argv()).get();
            assertEquals(0, answer.exitCode());
            assertEquals("line " + (9 - i) + "\nsecond", answer.stdout());
            assertEquals("warn " + (9 - i), answer.stderr());
        }
        ExecResult failed = snapshot.results().get(commands.get(HostCommands.PARALLEL_READS + 3).argv()).get();
        assertEquals(3, failed.exitCode());
        assertEquals("nope\n", failed.stderr());
        Answer<ExecResult> missing = snapshot.results().get(commands.get(HostCommands.PARALLEL_READS + 4).argv());
        assertThrows(HostException.class, () -> host().exec(commands.get(HostCommands.PARALLEL_READS + 4)));
        assertThrows(HostException.class, missing::get, "a missing program fails its read, as when run on its own");
        assertEquals(host().exec(commands.get(HostCommands.PARALLEL_READS + 5)).stdout(),
                snapshot.results().get(commands.get(HostCommands.PARALLEL_READS + 5).argv()).get().stdout());
        assertTrue(snapshot.results().get(commands.get(HostCommands.PARALLEL_READS + 6).argv()).get().ok());
        assertEquals("server_name: a\n", new String(snapshot.contents().get(file).get().orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), snapshot.states().get(dir.resolve("absent")));
        assertTrue(snapshot.states().get(file).isPresent());
    }

    /**
     * A followed path: every step of its links (relative ones against the link's directory, absolute ones from /,
     * ".." against the walked path) is among the states, as {@link LinkChain} walks it call by call, and the file
     * beside where it leads is read (a link there is refused, not followed); an absent step ends the walk, its
     * absence a state; a loop of links ends after 40 without hanging; names with spaces pass as they are.
     */
    @Test
    void aSnapshotFollowsAPathsLinksAndReadsBesideWhereTheyLead() throws IOException {
        Path home = dir.resolve("j vm/jdk 17");
        Path real = home.resolve("bin/java");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "#!/bin/sh\n");
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Files.createDirectories(dir.resolve("alternatives"));
        Files.createSymbolicLink(dir.resolve("alternatives/java"), real);
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.createSymbolicLink(dir.resolve("bin/java"), Path.of("../alternatives/./java"));
        Files.createSymbolicLink(dir.resolve("bin/loop"), Path.of("loop"));
        Files.createSymbolicLink(dir.resolve("bin/linked-release"), home.resolve("release"));
        Path linked = Files.createSymbolicLink(dir.resolve("j vm/linked"), Path.of("jdk 17/bin/java"));
        Path beside = Path.of("../release");
        Snapshot snapshot = host().snapshot(new Snapshot.Request(List.of(), List.of(), List.of(), List.of(), List.of(
                new Snapshot.Follow(java, List.of(beside, Path.of("../bin/../release"))),
                new Snapshot.Follow(dir.resolve("missing/java"), List.of(beside)),
                new Snapshot.Follow(dir.resolve("bin/loop"), List.of(beside)),
                new Snapshot.Follow(dir.resolve("bin/java/x"), List.of()))));
        LinkChain chain = LinkChain.walk(java, host()::stat);
        assertEquals(Optional.of(real), chain.resolved());
        for (Path step : List.of(Path.of("/"), dir, dir.resolve("bin"), java, dir.resolve("alternatives"),
                dir.resolve("alternatives/java"), dir.resolve("j vm"), home, home.resolve("bin"), real)) {
            assertEquals(chain.states().get(step), snapshot.states().get(step), step.toString());
            assertTrue(snapshot.states().get(step).isPresent(), step.toString());
        }
        assertEquals(chain.states().keySet().stream().filter(p -> !snapshot.states().containsKey(p)).toList(), List.of());
        assertEquals(Optional.of(Path.of("../alternatives/./java")), snapshot.states().get(java).orElseThrow().linkTarget());
        assertEquals("JAVA_VERSION=\"17.0.15\"\n", new String(snapshot.contents().get(home.resolve("release")).get().orElseThrow(),
                StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), snapshot.states().get(dir.resolve("missing")));
        assertFalse(snapshot.states().containsKey(dir.resolve("missing/java")));
        assertTrue(snapshot.states().get(dir.resolve("bin/loop")).orElseThrow().symbolicLink());
        assertFalse(snapshot.states().containsKey(dir.resolve("bin/java/x")), "nothing is walked under a file");
        assertEquals(1, snapshot.contents().size(), snapshot.contents().keySet().toString());

        // A release that is a link is refused, not followed: the read of a file beside never follows one.
        Snapshot throughLink = host().snapshot(new Snapshot.Request(List.of(), List.of(), List.of(), List.of(), List.of(
                new Snapshot.Follow(linked, List.of(Path.of("../../../bin/linked-release"))))));
        assertThrows(HostException.class, throughLink.contents().get(dir.resolve("bin/linked-release"))::get);
    }
}
