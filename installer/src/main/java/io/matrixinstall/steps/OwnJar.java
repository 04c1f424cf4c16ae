package io.matrixinstall.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.plan.Wants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The jar this agent runs from, as the content of its copy on the host. Hashing ~30 MB in the JVM costs a third of a
 * second, so a no-op run never does it on the way: on this machine {@code cmp} compares the two files among the facts
 * gathered side by side; for another host, the copy's SHA-256 is the one its {@link JarRecord} vouches for (a stat among
 * the facts gathered), or else the host's {@code sha256sum} of it (one more round trip), while this machine's
 * {@code sha256sum} (the JVM where there is none) hashes the jar here. Every write of the copy, on any host, records it.
 */
final class OwnJar implements FileSync.LargeContent {
    private final Path jar;
    private final Path copy;
    private final Path record;
    /** For another host: the running jar's SHA-256, computed here while the host is asked. */
    private final CompletableFuture<String> digest;
    private String localDigest;
    /** The copy holds these bytes but its record did not vouch for it: write the record again. */
    private boolean recordStale;

    private OwnJar(Path jar, Path copy, Path record, CompletableFuture<String> digest) {
        this.jar = jar;
        this.copy = copy;
        this.record = record;
        this.digest = digest;
    }

    /**
     * {@code jar}, the agent's own, to be left at {@code copy} on {@code host} and recorded in {@code record}; adds
     * what comparing them asks.
     */
    static OwnJar of(Host host, Path jar, Path copy, Path record, Wants wants) {
        if (host.thisMachine()) {
            wants.ask(Commands.sameBytes(jar, copy));
            return new OwnJar(jar, copy, record, null);
        }
        wants.ask(Commands.jarCopyIdentity(copy, record));
        return new OwnJar(jar, copy, record, CompletableFuture.supplyAsync(() -> hashHere(jar)));
    }

    @Override
    public boolean sameAs(Host host, Path path) {
        if (!path.equals(copy)) {
            throw new IllegalArgumentException(path + " is not where the agent's jar goes (" + copy + ")");
        }
        try {
            if (digest == null) {
                return FactsHost.of(host).ask(Commands.sameBytes(jar, copy)).exitCode() == 0;
            }
            Optional<String> vouched = JarRecord.facts(host, copy, record).vouchedSha256();
            boolean same = vouched.or(() -> hashOnHost(host)).map(sha256()::equals).orElse(false);
            recordStale = same && vouched.isEmpty();
            return same;
        } catch (HostException e) {
            // a host that runs no commands (a render root): its copy read and hashed here
            return host.read(path).map(FileSync::sha256).map(sha256()::equals).orElse(false);
        }
    }

    /** Whether the copy was found to hold these bytes without a record that says so (none, stale, or not root's). */
    boolean recordStale() {
        return recordStale;
    }

    /** The record of the bytes written: hashed as written, in case the running jar was replaced during the run. */
    @Override
    public void written(Host host, Path path, byte[] bytes) {
        JarRecord.write(host, copy, record, FileSync.sha256(bytes));
        recordStale = false;
    }

    /** The record of the copy found to hold the running jar's bytes ({@link #recordStale}). */
    void record(Host host) {
        JarRecord.write(host, copy, record, sha256());
        recordStale = false;
    }

    private Optional<String> hashOnHost(Host host) {
        // Anything but a digest (unreadable, vanished) counts as different and is rewritten.
        return digest(FactsHost.of(host).ask(Commands.copySha256(copy)));
    }

    /** The digest in sha256sum's answer, "HEX  PATH". */
    private static Optional<String> digest(ExecResult sha256sum) {
        return sha256sum.ok() ? Optional.of(sha256sum.stdout().strip().split("\\s+", 2)[0]) : Optional.empty();
    }

    @Override
    public String sha256() {
        if (digest == null) {
            if (localDigest == null) {
                localDigest = hashHere(jar); // only for a write: comparing on this machine needs no hash
            }
            return localDigest;
        }
        try {
            return digest.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    @Override
    public byte[] bytes() {
        return read(jar);
    }

    /** sha256sum here is three times faster than the JVM's SHA-256 and leaves the JVM's cores to the run. */
    private static String hashHere(Path jar) {
        try {
            return digest(new LocalHost().exec(Commands.sha256(jar))).orElseGet(() -> hash(jar));
        } catch (HostException e) {
            return hash(jar); // no sha256sum here (another system): the JVM hashes it
        }
    }

    private static String hash(Path jar) {
        return FileSync.sha256(read(jar));
    }

    private static byte[] read(Path jar) {
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new StepFailedException("cannot read the agent's own jar " + jar + ": " + e.getMessage());
        }
    }
}
