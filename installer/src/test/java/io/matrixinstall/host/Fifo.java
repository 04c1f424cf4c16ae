package io.matrixinstall.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A named pipe planted where root reads a file: opening it to read waits for a writer that never comes. */
public final class Fifo implements AutoCloseable {
    private final Path path;

    private Fifo(Path path) {
        this.path = path;
    }

    /** mkfifo {@code path}, owned by {@code uid} (a pipe Synapse's uid made in its own directory). */
    public static Fifo plant(Path path, int uid) throws IOException, InterruptedException {
        run("mkfifo", "-m", "0600", path.toString());
        run("chown", "-h", uid + ":" + uid, path.toString());
        return new Fifo(path);
    }

    /**
     * Lets a reader that is stuck opening it go on: opening a FIFO read-write never waits on Linux and counts as a
     * writer, and closing it again gives the reader end-of-file. (So a test of code that does wait fails, not hangs.)
     */
    @Override
    public void close() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            run("timeout", "5", "sh", "-c", "if [ -p \"$1\" ]; then : <>\"$1\"; fi", "sh", path.toString());
            Thread.sleep(100);
        }
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + said);
        }
    }
}
