package io.matrixinstall.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The host lock on a local file: an fcntl lock ({@link FileChannel#tryLock}), which the kernel drops when its
 * process dies, so a lock left by a killed agent is simply free again. The holder's description is written
 * into the file for other agents' messages only; it never decides anything.
 */
final class LockFile implements HostLock {
    private static final Duration POLL = Duration.ofMillis(200);

    private final FileChannel channel;
    private final FileLock lock;
    private final String holder;

    private LockFile(FileChannel channel, FileLock lock, String holder) {
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
    }

    static LockFile acquire(Path file, String command, Duration wait, Consumer<String> waiting) {
        FileChannel channel = open(file);
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String other = holder(channel);
                if (wait.isZero() || wait.isNegative()) {
                    throw new HostBusyException(file.toString(), other);
                }
                waiting.accept("waiting up to " + wait.toSeconds() + " s for the host lock " + file + ", held by " + other);
                long deadline = System.nanoTime() + wait.toNanos();
                while (lock == null) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw new HostBusyException(file.toString(), holder(channel));
                    }
                    Thread.sleep(POLL.toMillis());
                    lock = tryLock(channel);
                }
            }
            String holder = "pid " + ProcessHandle.current().pid() + ", " + command + ", since "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new LockFile(channel, lock, holder);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new HostException("cannot take the host lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while waiting for the host lock " + file);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        } catch (AccessDeniedException e) {
            throw new HostException("cannot take the host lock " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new HostException("cannot open the host lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lock, or null when another process (or another run in this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * The holder's description. A holder writes it right after it took the lock, so a reader that comes in
     * between sees an empty file: give it a second before saying so.
     */
    private static String holder(FileChannel channel) throws IOException, InterruptedException {
        String described = describedHolder(channel);
        for (int i = 0; i < 20 && described.equals(STARTING); i++) {
            Thread.sleep(50);
            described = describedHolder(channel);
        }
        return described;
    }

    private static final String STARTING = "a run that is just starting";

    /** What the holder wrote about itself: one line, printable characters only, bounded. */
    private static String describedHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(200);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        String line = text.lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "").strip();
        return line.isEmpty() ? STARTING : line;
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                channel.truncate(0); // still ours: nobody reads a stale description after we leave
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel below releases the lock anyway
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held through it any more
        }
    }
}
