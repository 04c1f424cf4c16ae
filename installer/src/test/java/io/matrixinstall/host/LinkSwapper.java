package io.matrixinstall.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The attack on a check-then-act owner or mode change: uid 991 (Synapse's, as code in its container would be)
 * exchanges two entries of a directory it owns, a directory and a symbolic link, as fast as it can, with
 * renameat2(RENAME_EXCHANGE), so the name is always one or the other and never missing. Perl (Essential on Debian,
 * so present on every target too) calls the system call by number; setpriv drops to 991.
 */
public final class LinkSwapper implements AutoCloseable {
    private static final String SWAP = """
            my ($dir, $a, $b, $nr) = @ARGV;
            chdir $dir or die "cannot enter $dir: $!\\n";
            $| = 1;
            syscall($nr + 0, -100, $a, -100, $b, 2) == 0 or die "renameat2: $!\\n";
            print "ready\\n";
            while (1) { syscall($nr + 0, -100, $a, -100, $b, 2) == 0 or die "renameat2: $!\\n"; }
            """;

    private final Process process;

    /** Starts swapping {@code a} and {@code b} in {@code directory}; returns once the first swap was made. */
    public LinkSwapper(Path directory, String a, String b) throws IOException {
        process = new ProcessBuilder("setpriv", "--reuid=991", "--regid=991", "--clear-groups", "perl", "-e", SWAP,
                directory.toString(), a, b, Integer.toString(renameat2())).redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(first)) {
            close();
            throw new IOException("the swapper did not start: " + first);
        }
    }

    private static int renameat2() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 316;
            case "aarch64" -> 276;
            default -> throw new IllegalStateException("renameat2's number on " + System.getProperty("os.arch") + "?");
        };
    }

    /** Whether it is still swapping (it ends only on an error). */
    public boolean swapping() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
