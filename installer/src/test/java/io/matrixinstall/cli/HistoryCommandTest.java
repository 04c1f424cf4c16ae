package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `history` on this machine: the readable lines, the filters, the raw lines, and a line that is no entry. */
class HistoryCommandTest {
    @TempDir
    Path dir;

    private static String entry(String when, String command, String result, String detail) {
        return "{\"when\":\"" + when + "\",\"command\":\"" + command + "\",\"result\":\"" + result + "\",\"detail\":\"" + detail + "\"}";
    }

    private void history(String... lines) throws Exception {
        Files.writeString(dir.resolve("history.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void oneReadableLinePerRunNewestLastFilteredByCommand() throws Exception {
        history(entry("2026-12-01T03:12:00Z", "up", "ok", "12 change(s)"),
                entry("2026-12-02T03:12:00Z", "refresh", "ok", "no changes"),
                entry("2026-12-03T10:00:00Z", "restart synapse", "ok", "restart synapse"),
                entry("2026-12-04T11:00:00Z", "update", "rolled back", "synapse sha256:a -> sha256:b was not healthy (x); done"),
                entry("2026-12-05T03:12:00Z", "refresh", "failed", "pull of synapse failed"),
                entry("2026-12-06T03:12:00Z", "refresh", "rollback failed", "synapse sha256:a -> sha256:b: compose up failed"));
        CliRun all = CliRun.withConsole("history", "--state-dir", dir.toString());
        assertEquals(0, all.exit(), all.err());
        assertEquals(List.of("2026-12-01T03:12:00Z up ok: 12 change(s)", "2026-12-02T03:12:00Z refresh ok: no changes",
                "2026-12-03T10:00:00Z restart synapse ok: restart synapse",
                "2026-12-04T11:00:00Z update FAILED, rolled back: synapse sha256:a -> sha256:b was not healthy (x); done",
                "2026-12-05T03:12:00Z refresh FAILED: pull of synapse failed",
                "2026-12-06T03:12:00Z refresh FAILED, rollback FAILED: synapse sha256:a -> sha256:b: compose up failed"),
                stdout(all));
        assertEquals("", all.err());

        CliRun updates = CliRun.withConsole("history", "--state-dir", dir.toString(), "--command", "update", "--command", "refresh",
                "--last", "2");
        assertEquals(List.of("2026-12-05T03:12:00Z refresh FAILED: pull of synapse failed",
                "2026-12-06T03:12:00Z refresh FAILED, rollback FAILED: synapse sha256:a -> sha256:b: compose up failed"),
                stdout(updates));
        assertEquals(List.of("2026-12-03T10:00:00Z restart synapse ok: restart synapse"),
                stdout(CliRun.withConsole("history", "--state-dir", dir.toString(), "--command", "restart")));
        assertEquals(List.of(entry("2026-12-02T03:12:00Z", "refresh", "ok", "no changes")),
                stdout(CliRun.withConsole("history", "--state-dir", dir.toString(), "--command", "refresh", "--last", "3", "--json"))
                        .subList(0, 1), "--json: the stored lines as they are");
    }

    @Test
    void aLineThatIsNoEntryIsSaidInOneLineAndSkipped() throws Exception {
        history(entry("2026-12-01T03:12:00Z", "update", "ok", "no changes"), "{\"when\":", "<<<<<<< merge left this");
        CliRun run = CliRun.withConsole("history", "--state-dir", dir.toString());
        assertEquals(0, run.exit());
        assertEquals(List.of("2026-12-01T03:12:00Z update ok: no changes"), stdout(run));
        assertEquals("2 line(s) of " + dir.resolve("history.jsonl")
                + " are not history entries (cut short or written by something else): skipped", run.err().strip());
    }

    @Test
    void noHistoryIsNoLineAndABadLastIsRefused() {
        CliRun none = CliRun.withConsole("history", "--state-dir", dir.resolve("nothing").toString());
        assertEquals(0, none.exit(), none.err());
        assertEquals(List.of(), stdout(none));
        assertEquals("no history at " + dir.resolve("nothing/history.jsonl") + " on localhost (nothing has run there yet, or"
                + " --state-dir names another directory)", none.err().strip());
        CliRun bad = CliRun.withConsole("history", "--state-dir", dir.toString(), "--last", "-1");
        assertEquals(2, bad.exit());
        assertEquals("matrix-install: --last: must be 0 (all) or more (got -1)", bad.err().strip());
    }

    private static List<String> stdout(CliRun run) {
        return run.out().lines().toList();
    }
}
