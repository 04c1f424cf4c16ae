package io.matrixinstall.db;

import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Exact row counts of every table of the Synapse database (see {@link Commands#tableRowCounts}). */
record RowCounts(SortedMap<String, Long> tables) {
    /** Synapse's main tables: a database without them is not Synapse's, and counting it would prove nothing. */
    static final List<String> MAIN = List.of("users", "rooms", "events", "event_json", "room_memberships", "state_events");

    static RowCounts read(PlanContext context) {
        String out = DbService.output(context, Commands.tableRowCounts(DbService.running(context).id()));
        SortedMap<String, Long> tables = new TreeMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split("\\|");
            if (f.length == 2) {
                tables.put(f[0], Long.parseLong(f[1].strip()));
            }
        }
        return new RowCounts(tables);
    }

    long total() {
        return tables.values().stream().mapToLong(Long::longValue).sum();
    }

    List<String> missingMainTables() {
        return MAIN.stream().filter(t -> !tables.containsKey(t)).toList();
    }

    /** Every table whose count differs, or that exists on one side only: "events 120 -> 119". */
    List<String> differences(RowCounts after) {
        List<String> out = new ArrayList<>();
        SortedMap<String, Long> all = new TreeMap<>(tables);
        after.tables.forEach(all::putIfAbsent);
        for (Map.Entry<String, Long> e : all.entrySet()) {
            Long before = tables.get(e.getKey());
            Long now = after.tables.get(e.getKey());
            if (before == null || !before.equals(now)) {
                out.add(e.getKey() + " " + (before == null ? "absent" : before) + " -> " + (now == null ? "absent" : now));
            }
        }
        return out;
    }

    String mainSummary() {
        return String.join(", ", MAIN.stream().map(t -> t + " " + tables.getOrDefault(t, 0L)).toList());
    }
}
