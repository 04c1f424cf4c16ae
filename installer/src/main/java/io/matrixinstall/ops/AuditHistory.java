package io.matrixinstall.ops;

import io.matrixinstall.layout.StateDir;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The audit history on the host: one JSON line per operation that changed it (up, start, stop, restart,
 * uninstall; update, refresh and rollback append through {@link #append} too), in the state directory,
 * root 0600. Newest last; the oldest lines go beyond {@link #KEEP}.
 */
public final class AuditHistory {
    static final int KEEP = 1000;
    /** The results besides {@code ok} and {@code no changes}: a failure; update's rollback, and its failure. */
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled back";
    public static final String ROLLBACK_FAILED = "rollback failed";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Host host;
    private final StateDir state;

    public AuditHistory(Host host, StateDir state) {
        this.host = host;
        this.state = state;
    }

    /**
     * One line of the history.
     *
     * @param when    when the operation ended (ISO-8601 UTC, seconds)
     * @param command up, start, stop, restart, uninstall, update, refresh, rollback
     * @param result  {@code ok}, {@code no changes} or {@code failed}; update and refresh: {@code ok},
     *                {@code failed}, {@code rolled back} or {@code rollback failed}
     * @param detail  what happened, one line (the failure's reason)
     * @param images  per service whose image changed: the digest (or image id) it ran before and after
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Entry(@JsonProperty("when") String when, @JsonProperty("command") String command,
            @JsonProperty("result") String result, @JsonProperty("detail") String detail,
            @JsonProperty("images") Map<String, ImageChange> images) {
        public Entry {
            images = images == null ? Map.of() : Map.copyOf(images);
            detail = detail == null ? "" : detail.lines().findFirst().orElse("");
        }

        public static Entry now(String command, String result, String detail) {
            return new Entry(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), command, result, detail, Map.of());
        }

        public boolean failed() {
            return FAILED.equals(result);
        }

        /**
         * The entry as one readable line, {@code <when> <command> <result>: <detail>}, in the shape of the update
         * log it replaced: {@code ... update ok: no changes}, {@code ... update FAILED: ...},
         * {@code ... update FAILED, rolled back: ...}, {@code ... update FAILED, rollback FAILED: ...}.
         */
        public String line() {
            String shown = switch (String.valueOf(result)) {
                case FAILED -> "FAILED";
                case ROLLED_BACK -> "FAILED, rolled back";
                case ROLLBACK_FAILED -> "FAILED, rollback FAILED";
                default -> result;
            };
            // Before the update log went, a rolled-back update's detail began with what `shown` now says.
            String rest = detail.startsWith(shown + ": ") ? detail.substring(shown.length() + 2) : detail;
            return when + " " + command + " " + shown + (rest.isEmpty() ? "" : ": " + rest);
        }

        /**
         * The stored line: the fields in order, empty detail and images left out. Built as a tree, not by Jackson's
         * bean serializer, whose first use reflects over these records (~15 ms of every run's end, the run waiting).
         */
        String json() {
            ObjectNode line = JSON.createObjectNode().put("when", when).put("command", command).put("result", result);
            if (!detail.isEmpty()) {
                line.put("detail", detail);
            }
            if (!images.isEmpty()) {
                ObjectNode changes = line.putObject("images");
                images.forEach((service, change) -> changes.putObject(service).put("from", change.from()).put("to", change.to()));
            }
            try {
                return JSON.writeValueAsString(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Whether this is an entry at all: a line of other JSON (an object of other fields) parses to one without. */
        boolean complete() {
            return when != null && command != null && result != null;
        }
    }

    /** One stored line and its entry; none for a line cut short by a crash or one of something else. */
    public record Stored(String raw, Optional<Entry> entry) {
        static Stored parse(String raw) {
            try {
                return new Stored(raw, Optional.ofNullable(JSON.readValue(raw, Entry.class)).filter(Entry::complete));
            } catch (JsonProcessingException e) {
                return new Stored(raw, Optional.empty());
            }
        }
    }

    /** The image a service ran before and after an operation. */
    public record ImageChange(@JsonProperty("from") String from, @JsonProperty("to") String to) {}

    /** Appends one entry. A history that cannot be written is said on stderr by the caller, never fatal. */
    public void append(Entry entry) {
        List<String> lines = new ArrayList<>(rawLines());
        lines.add(entry.json());
        List<String> kept = lines.subList(Math.max(0, lines.size() - KEEP), lines.size());
        if (host.stat(state.dir()).isEmpty()) {
            host.createDirectory(state.dir(), Ownership.ROOT, Layout.PRIVATE_DIR);
        }
        host.writeAtomically(state.history(), (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8),
                Ownership.ROOT, Layout.PRIVATE_FILE);
    }

    /** Every readable entry, oldest first (a damaged line is skipped, not fatal). */
    public List<Entry> entries() {
        // a line cut short by a crash is skipped; the others still count
        return rawLines().stream().map(Stored::parse).flatMap(s -> s.entry().stream()).toList();
    }

    /**
     * Every stored line, oldest first, each with its entry if it is one (`history` says how many are not); no
     * lines where there is no history yet. A history that cannot be read fails here (the host's one line).
     */
    public List<Stored> stored() {
        return read().stream().map(Stored::parse).toList();
    }

    /** The newest entry of one of {@code commands}, e.g. the last update or refresh for `status`. */
    public Optional<Entry> last(Set<String> commands) {
        List<Entry> all = entries();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (commands.contains(all.get(i).command())) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    private List<String> rawLines() {
        try {
            return read();
        } catch (HostException e) {
            return List.of();
        }
    }

    private List<String> read() {
        return host.read(state.history()).map(b -> new String(b, StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).toList()).orElse(List.of());
    }
}
