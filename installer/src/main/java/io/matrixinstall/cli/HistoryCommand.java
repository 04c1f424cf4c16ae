package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.ops.AuditHistory;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The audit history, read-only: no lock (a refresh may be appending; the file is replaced whole, so a read sees the
 * old or the new one), no recorded configuration needed (the history outlives a plain uninstall).
 */
@Command(name = "history", description = "Show the history of the runs that changed the host (up, update, refresh,"
        + " stop, ...), one line per run, newest last: `<UTC time> <command> <result>: <detail>`.")
final class HistoryCommand implements Callable<Integer> {

    @Mixin
    ReadOptions readOptions;

    @Mixin
    JsonOption output;

    @Spec
    CommandSpec spec;

    @Option(names = "--command", paramLabel = "NAME",
            description = "Only the runs of this command (repeatable), e.g. --command update --command refresh;"
                    + " `user` takes in `user add` and the other user commands.")
    List<String> commands = List.of();

    @Option(names = "--last", paramLabel = "N", defaultValue = "20",
            description = "Only the newest N runs (default 20; 0: all the history keeps, the last 1000).")
    int last;

    @Override
    public Integer call() throws Exception {
        if (last < 0) {
            throw new ConfigException("--last", "must be 0 (all) or more (got " + last + ")");
        }
        return readOptions.run(spec, this::history);
    }

    private int history(RunFrame frame) {
        StateDir stateDir = readOptions.stateDir();
        List<AuditHistory.Stored> stored = new AuditHistory(frame.host(), stateDir).stored();
        if (stored.isEmpty()) {
            // Not an error (a fresh host has none), but an empty answer alone cannot tell that from a mistyped directory.
            frame.console().problem("no history at " + stateDir.history() + " on " + frame.host().name()
                    + " (nothing has run there yet, or --state-dir names another directory)");
            return 0;
        }
        Selection selection = Selection.of(stored, commands, last);
        selection.entries().forEach(s -> frame.console().line(output.json() ? s.raw() : s.entry().orElseThrow().line()));
        if (selection.unreadable() > 0) {
            frame.console().problem(selection.unreadable() + " line(s) of " + stateDir.history()
                    + " are not history entries (cut short or written by something else): skipped");
        }
        return 0;
    }

    /** The lines to show: the entries of the commands asked for, the newest {@code last}; and how many were not entries. */
    record Selection(List<AuditHistory.Stored> entries, int unreadable) {
        static Selection of(List<AuditHistory.Stored> stored, List<String> commands, int last) {
            List<AuditHistory.Stored> matching = stored.stream()
                    .filter(s -> s.entry().filter(e -> commands.isEmpty() || commands.stream().anyMatch(c -> of(e.command(), c))).isPresent())
                    .toList();
            int unreadable = (int) stored.stream().filter(s -> s.entry().isEmpty()).count();
            return new Selection(last == 0 ? matching : matching.subList(Math.max(0, matching.size() - last), matching.size()),
                    unreadable);
        }

        /** `restart synapse` is a run of `restart`, `user add` one of `user` and of `user add`. */
        private static boolean of(String command, String name) {
            return command.equals(name) || command.startsWith(name + " ");
        }
    }
}
