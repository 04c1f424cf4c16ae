package io.matrixinstall.cli;

import io.matrixinstall.ops.AuditHistory;
import io.matrixinstall.ops.HostOperation;
import io.matrixinstall.plan.PlanContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a change did, as {@link RunFrame} closes it: the closing line (`no changes`, `N change(s) would be made on
 * HOST`, or the command's own for an applied run), the lines after it, the history line's result and detail, and
 * the exit code. Built from the run's context at the end of the work, where the gate knows what changed.
 */
final class Outcome {
    private final List<String> changes;
    private final boolean applies;
    private final String host;
    private boolean changed;
    private String detail;
    private String unchanged = "no changes";
    private String done;
    private String said;
    private final List<String> then = new ArrayList<>();
    private String result;
    private Map<String, AuditHistory.ImageChange> images = Map.of();
    private boolean forget;
    private int exit;

    private Outcome(PlanContext context) {
        this.changes = context.gate().changes();
        this.applies = context.gate().applies();
        this.host = context.host().name();
        this.changed = !changes.isEmpty();
        this.detail = String.join("; ", changes);
    }

    /** The outcome of the run in {@code context} so far: changed when its gate took a change; detail: the changes. */
    static Outcome of(PlanContext context) {
        return new Outcome(context);
    }

    /** How many changes the gate took. */
    int changes() {
        return changes.size();
    }

    /** The history line's detail. */
    Outcome detail(String detail) {
        this.detail = detail;
        return this;
    }

    /** Whether the history calls it `ok` (changed) or `no changes`. */
    Outcome changed(boolean changed) {
        this.changed = changed;
        return this;
    }

    /** The closing line when the gate took no change (default `no changes`). */
    Outcome unchanged(String line) {
        this.unchanged = line;
        return this;
    }

    /** The closing line of an applied run that changed something, and its history detail; asked only then. */
    Outcome done(Supplier<String> line) {
        if (applies && !changes.isEmpty()) {
            done = line.get();
            detail = done;
        }
        return this;
    }

    /** The command's own closing line instead of the gate's (user commands, a rolled-back update). */
    Outcome said(String line) {
        this.said = line;
        return this;
    }

    /** Lines after the closing line. */
    Outcome then(List<String> lines) {
        then.addAll(lines);
        return this;
    }

    /** The history's result instead of `ok`/`no changes` (update: `rolled back`). */
    Outcome result(String result) {
        this.result = result;
        return this;
    }

    /** The images the run changed, per service (update, refresh). */
    Outcome images(Map<String, AuditHistory.ImageChange> images) {
        this.images = Map.copyOf(images);
        return this;
    }

    /**
     * A failure that still has its own history line (update's failed rollback): {@link RunFrame} records this
     * outcome, then lets {@code cause} leave by the one error path (its line on stderr, exit 1).
     */
    Failed failed(RuntimeException cause) {
        return new Failed(this, cause);
    }

    /** The state directory went with the run (uninstall --purge-data): no history line to append. */
    Outcome forget() {
        this.forget = true;
        return this;
    }

    Outcome exit(int exit) {
        this.exit = exit;
        return this;
    }

    int exitCode() {
        return exit;
    }

    void record(HostOperation operation) {
        if (result != null) {
            operation.finished(result, detail, images);
        } else {
            operation.succeeded(changed, detail);
        }
        if (forget) {
            operation.forget();
        }
    }

    void print(Console console) {
        if (said != null) {
            console.line(said);
        } else if (changes.isEmpty()) {
            if (unchanged != null) {
                console.line(unchanged);
            }
        } else if (!applies) {
            console.line(changes.size() + " change(s) would be made on " + host);
        } else if (done != null) {
            console.line(done);
        }
        then.forEach(console::line);
    }

    /** See {@link #failed}: carries the outcome to record and the failure to report. */
    static final class Failed extends RuntimeException {
        private final transient Outcome outcome;

        private Failed(Outcome outcome, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.outcome = outcome;
        }

        Outcome outcome() {
            return outcome;
        }

        RuntimeException cause() {
            return (RuntimeException) getCause();
        }
    }
}
