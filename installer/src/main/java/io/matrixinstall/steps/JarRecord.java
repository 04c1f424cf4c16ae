package io.matrixinstall.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quick check of the agent's copy on a host (as rsync, git and make skip unchanged files): beside the copy, a
 * record of the SHA-256 of the bytes written there and of the copy's identity as the host's stat reported it right
 * after the write: inode, size, mtime and ctime to the nanosecond. No program sets a ctime, so any change to the copy
 * by anyone (a write, a rename over it, a chmod, a {@code touch -d} that puts the mtime back) leaves another identity;
 * while it is the recorded one, the recorded SHA-256 is the copy's and 30 MB are not hashed on the host.
 *
 * <p>The record is believed only as root leaves it: a regular file (read without following a link or waiting for a
 * writer), owned by root, writable by no one else, in the directory {@link AgentGuard} requires root-only. Anything
 * else (absent, another kind of file or owner, group or world writable, malformed, another identity) is a mismatch,
 * never an error: the copy is hashed as before and the record written again.
 *
 * <p>On the machine the agent runs on, the record also names the identity of the running jar the copy holds the bytes
 * of ({@code source}: device, inode, size, mtime and ctime, as this JVM reads them): while both identities are the
 * recorded ones, the two files still hold the same bytes and a no-op run reads neither (it used to compare them with
 * {@code cmp}, 60 MB read on every run).
 */
final class JarRecord {
    private static final String HEADER = "matrix-install jar record 1";
    private static final Pattern STAT = Pattern.compile(
            "([0-9a-f]{1,8}) (\\d+) (\\d+) (\\d+ \\d+ -?\\d+\\.\\d{9} -?\\d+\\.\\d{9})");
    private static final Pattern RECORD = Pattern.compile(Pattern.quote(HEADER)
            + "\nsha256 ([0-9a-f]{64})\nidentity (\\d+ \\d+ -?\\d+\\.\\d{9} -?\\d+\\.\\d{9})\n(?:source ([!-~]{1,200})\n)?");
    private static final int TYPE = 0170000;
    private static final int REGULAR = 0100000;

    private JarRecord() {}

    /** One path's line of {@link Commands#jarCopyIdentity}: its kind and permission bits, owner, and identity. */
    record Stat(int rawMode, int uid, String identity) {
        boolean regular() {
            return (rawMode & TYPE) == REGULAR;
        }

        /** How root left it: a regular file of root's that no one else can write. */
        boolean rootsOnly() {
            return regular() && uid == 0 && (rawMode & 022) == 0;
        }

        /** The line, or empty for "-" or anything else. */
        static Optional<Stat> parse(String line) {
            Matcher m = STAT.matcher(line);
            if (!m.matches()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Stat(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2)), m.group(4)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // a uid past int: not root's
            }
        }
    }

    /** The answer of {@link Commands#jarCopyIdentity}: the copy's and the record's stat, and the record's text. */
    record Facts(Optional<Stat> copy, Optional<Stat> record, String text) {
        static Facts parse(ExecResult answer) {
            if (!answer.ok()) {
                return new Facts(Optional.empty(), Optional.empty(), "");
            }
            String[] parts = answer.stdout().split("\n", 3);
            return new Facts(parts.length > 0 ? Stat.parse(parts[0]) : Optional.empty(),
                    parts.length > 1 ? Stat.parse(parts[1]) : Optional.empty(), parts.length > 2 ? parts[2] : "");
        }

        /** The recorded SHA-256 when the record is root's and the copy is, to the nanosecond, what was recorded. */
        Optional<String> vouchedSha256() {
            return vouched().map(m -> m.group(1));
        }

        /**
         * The identity of the jar the copy was written from on the same machine ({@link OwnJar#sourceIdentity}), when
         * the record vouches for the copy and names one.
         */
        Optional<String> vouchedSource() {
            return vouched().map(m -> m.group(3));
        }

        private Optional<Matcher> vouched() {
            if (copy.isEmpty() || !copy.get().regular() || record.isEmpty() || !record.get().rootsOnly()) {
                return Optional.empty();
            }
            Matcher m = RECORD.matcher(text);
            return m.matches() && m.group(2).equals(copy.get().identity()) ? Optional.of(m) : Optional.empty();
        }
    }

    /** The record's text: {@code sha256} of the bytes at the copy whose stat right after the write was {@code copy}. */
    static byte[] text(String sha256, Stat copy) {
        return text(sha256, copy, Optional.empty());
    }

    /** The same, naming the identity of the jar on this machine that holds the same bytes ({@code source}). */
    static byte[] text(String sha256, Stat copy, Optional<String> source) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        if (source.isPresent() && !source.get().matches("[!-~]{1,200}")) {
            throw new IllegalArgumentException("not an identity: " + source.get());
        }
        return (HEADER + "\nsha256 " + sha256 + "\nidentity " + copy.identity() + "\n"
                + source.map(s -> "source " + s + "\n").orElse("")).getBytes(StandardCharsets.US_ASCII);
    }

    /** The facts of the quick check on {@code host}, from the run's snapshot when it gathered them. */
    static Facts facts(Host host, Path copy, Path record) {
        return Facts.parse(FactsHost.of(host).ask(Commands.jarCopyIdentity(copy, record)));
    }

    /**
     * Records that {@code copy} holds bytes hashing to {@code sha256}, with its identity read now (after the write:
     * the answer gathered before it is forgotten first). Written after the copy: a run killed between the two leaves a
     * record of another identity, which the next run finds stale. A host that runs no commands (a render root) gets
     * none: it has no identity to record.
     */
    static void write(Host host, Path copy, Path record, String sha256, Optional<String> source) {
        FactsHost facts = FactsHost.of(host);
        facts.forgetAnswers();
        Facts now;
        try {
            now = facts(facts, copy, record);
        } catch (HostException e) {
            return;
        }
        if (now.copy().isEmpty() || !now.copy().get().regular()) {
            return;
        }
        if (now.record().isPresent() && !now.record().get().regular()) {
            facts.remove(record); // a link or a FIFO planted there: a write refuses to replace a link
        }
        facts.writeAtomically(record, text(sha256, now.copy().get(), source), Ownership.ROOT, Layout.PUBLIC_FILE);
    }
}
