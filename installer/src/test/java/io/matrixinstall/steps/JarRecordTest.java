package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The quick check's answers as Commands.jarCopyIdentity prints them, and when a record vouches for the copy. */
class JarRecordTest {
    private static final String SHA = "0123456789abcdef".repeat(4);
    private static final String COPY = "81a4 0 0 1048601 29064672 1796611041.961707671 1796611042.003707671";
    private static final String RECORD = "81a4 0 0 1048602 142 1796611042.011707671 1796611042.011707671";

    private static String record(String sha, String identity) {
        return "matrix-install jar record 1\nsha256 " + sha + "\nidentity " + identity + "\n";
    }

    private static final String GOOD = record(SHA, "1048601 29064672 1796611041.961707671 1796611042.003707671");

    private static Optional<String> vouched(String copy, String recordStat, String text) {
        return JarRecord.Facts.parse(new ExecResult(0, copy + "\n" + recordStat + "\n" + text, "")).vouchedSha256();
    }

    @Test
    void theRunningJarsIdentityIsNamedOnlyWhereTheRecordVouchesForTheCopy() {
        JarRecord.Stat copy = JarRecord.Stat.parse(COPY).orElseThrow();
        String source = "2049:1048577:29064672:1796611041.000000001:1796611041.000000002";
        String text = new String(JarRecord.text(SHA, copy, Optional.of(source)), StandardCharsets.US_ASCII);
        JarRecord.Facts facts = JarRecord.Facts.parse(new ExecResult(0, COPY + "\n" + RECORD + "\n" + text, ""));
        assertEquals(Optional.of(SHA), facts.vouchedSha256());
        assertEquals(Optional.of(source), facts.vouchedSource());
        JarRecord.Facts stale = JarRecord.Facts.parse(new ExecResult(0,
                COPY.replace("1048601", "1048603") + "\n" + RECORD + "\n" + text, ""));
        assertEquals(Optional.empty(), stale.vouchedSource(), "another copy: nothing vouched");
        assertEquals(Optional.empty(), JarRecord.Facts.parse(new ExecResult(0, COPY + "\n" + RECORD + "\n" + GOOD, ""))
                .vouchedSource(), "a record without a source names none");
        assertEquals(Optional.empty(), vouched(COPY, RECORD, text.replace("\nsource ", "\nsource \n")), "malformed");
        assertThrows(IllegalArgumentException.class, () -> JarRecord.text(SHA, copy, Optional.of("two words")));
    }

    @Test
    void aRootOnlyRecordOfTheCopysIdentityVouchesForIt() {
        assertEquals(Optional.of(SHA), vouched(COPY, RECORD, GOOD));
        // as written: the record of a stat line is what the same line is checked against
        JarRecord.Stat copy = JarRecord.Stat.parse(COPY).orElseThrow();
        assertEquals(Optional.of(SHA), vouched(COPY, RECORD, new String(JarRecord.text(SHA, copy), StandardCharsets.US_ASCII)));
        assertEquals(Optional.of(SHA), vouched(COPY, "8124 0 0 1048602 142 1796611042.011707671 1796611042.011707671", GOOD),
                "read-only for root too");
        assertEquals(Optional.of(SHA), vouched(COPY, "81a4 0 1000 1048602 142 1796611042.011707671 1796611042.011707671", GOOD),
                "another group, which cannot write it");
    }

    @Test
    void anyOtherIdentityOfTheCopyIsAMismatch() {
        for (String copy : new String[] {
                "81a4 0 0 1048600 29064672 1796611041.961707671 1796611042.003707671", // another inode: renamed over
                "81a4 0 0 1048601 29064671 1796611041.961707671 1796611042.003707671", // another size
                "81a4 0 0 1048601 29064672 1796611041.961707672 1796611042.003707671", // another mtime, by a nanosecond
                "81a4 0 0 1048601 29064672 1796611041.961707671 1796611042.003707672", // changed, its mtime put back
                "-", // gone
                "41ed 0 0 1048601 29064672 1796611041.961707671 1796611042.003707671", // a directory now
                "11a4 0 0 1048601 29064672 1796611041.961707671 1796611042.003707671", // a FIFO
                "a1ff 0 0 1048601 29064672 1796611041.961707671 1796611042.003707671"}) { // a link
            assertEquals(Optional.empty(), vouched(copy, RECORD, GOOD), copy);
        }
    }

    @Test
    void aRecordIsBelievedOnlyAsRootLeavesIt() {
        for (String record : new String[] {
                "a1ff 0 0 1048602 29 1796611042.011707671 1796611042.011707671", // a symbolic link
                "11a4 0 0 1048602 0 1796611042.011707671 1796611042.011707671", // a FIFO
                "41ed 0 0 1048602 4096 1796611042.011707671 1796611042.011707671", // a directory
                "81a4 65534 65534 1048602 142 1796611042.011707671 1796611042.011707671", // nobody's
                "81a4 1000 0 1048602 142 1796611042.011707671 1796611042.011707671", // a user's, root's group
                "81b4 0 0 1048602 142 1796611042.011707671 1796611042.011707671", // group writable
                "81a6 0 0 1048602 142 1796611042.011707671 1796611042.011707671", // world writable
                "81a4 99999999999 0 1048602 142 1796611042.011707671 1796611042.011707671", // a uid past int
                "-"}) { // absent
            assertEquals(Optional.empty(), vouched(COPY, record, GOOD), record);
        }
    }

    @Test
    void aMalformedRecordIsAMismatchNeverAnError() {
        String identity = "1048601 29064672 1796611041.961707671 1796611042.003707671";
        for (String text : new String[] {
                "",
                record(SHA.toUpperCase(), identity),
                record(SHA.substring(1), identity),
                record(SHA + "0", identity),
                record(SHA, "1048601 29064672 1796611041.961707671"),
                record(SHA, "1048601 29064672 1796611041.9617 1796611042.003707671"),
                record(SHA, identity).replace("\n", "\r\n"),
                record(SHA, identity).replace("record 1", "record 2"),
                record(SHA, identity) + "sha256 " + "f".repeat(64) + "\n",
                record(SHA, identity).strip(),
                "sha256 " + SHA + "\nidentity " + identity + "\n",
                record(SHA, identity).substring(0, 60)}) {
            assertEquals(Optional.empty(), vouched(COPY, RECORD, text), text);
        }
        assertEquals(Optional.empty(), JarRecord.Facts.parse(new ExecResult(1, COPY + "\n" + RECORD + "\n" + GOOD, ""))
                .vouchedSha256(), "a failed command");
        assertEquals(Optional.empty(), JarRecord.Facts.parse(new ExecResult(0, "", "")).vouchedSha256());
        assertEquals(Optional.empty(), JarRecord.Facts.parse(new ExecResult(0, COPY, "")).vouchedSha256());
        assertEquals(Optional.empty(), vouched("garbage", RECORD, GOOD));
        assertEquals(Optional.empty(), vouched(COPY, "81a4 0 0 x 142 1 2", GOOD));
    }

    @Test
    void aStatLineIsRead() {
        JarRecord.Stat stat = JarRecord.Stat.parse(COPY).orElseThrow();
        assertEquals(0100644, stat.rawMode());
        assertEquals(0, stat.uid());
        assertEquals("1048601 29064672 1796611041.961707671 1796611042.003707671", stat.identity());
        assertTrue(stat.regular());
        assertTrue(stat.rootsOnly());
        assertFalse(JarRecord.Stat.parse("-").isPresent());
        assertFalse(JarRecord.Stat.parse(COPY + " extra").isPresent());
        assertTrue(JarRecord.Stat.parse("81a4 0 0 12 3 -1.000000000 5.000000000").isPresent(), "a time before 1970");
        assertThrows(IllegalArgumentException.class, () -> JarRecord.text("not a digest", stat));
    }
}
