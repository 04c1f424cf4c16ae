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
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The jar this agent runs from, as the content of its copy on the host. Hashing ~30 MB in the JVM costs a third of a
 * second, so a no-op run never does it on the way: on this machine, the copy's {@link JarRecord} names the running
 * jar's identity (else {@code cmp} compares the two files); for another host, the copy's SHA-256 is the one its {@link JarRecord} vouches for (a stat among
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
    private final boolean thisMachine;
    /** The running jar's identity while the bytes written were read from it, or while cmp compared it (this machine). */
    private Optional<String> readFrom = Optional.empty();
    private Optional<String> comparedWith = Optional.empty();
    /** The copy holds these bytes but its record did not vouch for it: write the record again. */
    private boolean recordStale;

    private OwnJar(Path jar, Path copy, Path record, CompletableFuture<String> digest) {
        this.jar = jar;
        this.copy = copy;
        this.record = record;
        this.digest = digest;
        this.thisMachine = digest == null;
    }

    /**
     * {@code jar}, the agent's own, to be left at {@code copy} on {@code host} and recorded in {@code record}; adds
     * what comparing them asks.
     */
    static OwnJar of(Host host, Path jar, Path copy, Path record, Wants wants) {
        wants.ask(Commands.jarCopyIdentity(copy, record));
        if (host.thisMachine()) {
            return new OwnJar(jar, copy, record, null);
        }
        return new OwnJar(jar, copy, record, CompletableFuture.supplyAsync(() -> hashHere(jar)));
    }

    @Override
    public boolean sameAs(Host host, Path path) {
        if (!path.equals(copy)) {
            throw new IllegalArgumentException(path + " is not where the agent's jar goes (" + copy + ")");
        }
        try {
            if (digest == null) {
                return sameHere(host);
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
        JarRecord.write(host, copy, record, FileSync.sha256(bytes), readFrom);
        recordStale = false;
    }

    /** The record of the copy found to hold the running jar's bytes ({@link #recordStale}). */
    void record(Host host) {
        JarRecord.write(host, copy, record, sha256(), comparedWith);
        recordStale = false;
    }

    /**
     * On this machine: the same bytes when the record vouches for the copy and names the running jar as it is now
     * (neither file changed since the copy was written: a no-op run reads neither); otherwise {@code cmp} decides.
     */
    private boolean sameHere(Host host) {
        Optional<String> before = sourceIdentity(jar);
        if (before.isPresent() && JarRecord.facts(host, copy, record).vouchedSource().equals(before)) {
            return true;
        }
        boolean same = FactsHost.of(host).ask(Commands.sameBytes(jar, copy)).exitCode() == 0;
        // The running jar named only if it did not change while cmp read it.
        comparedWith = before.filter(identity -> sourceIdentity(jar).equals(Optional.of(identity)));
        recordStale = same;
        return same;
    }

    /**
     * The running jar's identity on this machine, as the record keeps it ({@code dev:inode:size:mtime:ctime}, times to
     * the nanosecond): no program sets a ctime, so any change to the jar leaves another one. Empty where the file
     * system says less.
     */
    static Optional<String> sourceIdentity(Path jar) {
        try {
            Map<String, Object> a = Files.readAttributes(jar, "unix:dev,ino,size,lastModifiedTime,ctime");
            return Optional.of(a.get("dev") + ":" + a.get("ino") + ":" + a.get("size") + ":"
                    + nanos((FileTime) a.get("lastModifiedTime")) + ":" + nanos((FileTime) a.get("ctime")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static String nanos(FileTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() + "." + String.format("%09d", instant.getNano());
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
        Optional<String> before = thisMachine ? sourceIdentity(jar) : Optional.empty();
        byte[] bytes = read(jar);
        // Named in the record only if the jar did not change while it was read.
        readFrom = before.filter(identity -> sourceIdentity(jar).equals(Optional.of(identity)));
        return bytes;
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
