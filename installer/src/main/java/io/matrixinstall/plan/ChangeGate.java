package io.matrixinstall.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * The single door every change to a host goes through. {@code up} applies changes; {@code --dry-run}
 * only records them. Steps never change the host any other way, so a dry run lists exactly what a real
 * run would do.
 */
public interface ChangeGate {

    /**
     * One change as the gate records it: what kind ({@code "stop"}, {@code "write"}, or {@link #CHANGE} for any other),
     * on what (a service's name, a file's path; empty when the kind needs none), and the line the operator reads (no
     * secrets in it).
     */
    record Change(String kind, String target, String text) {
        public static final String CHANGE = "change";
        public static final String STOP = "stop";
        public static final String WRITE = "write";

        /** Stopping a service: a later step of the same run may start it again. */
        public static Change stop(String service) {
            return new Change(STOP, service, "stop " + service);
        }

        /** Writing a file's content (a new file or a changed one; not its owner or mode). */
        public static Change write(Path file, String text) {
            return new Change(WRITE, file.toString(), text);
        }

        /** Whether this change wrote {@code file}. */
        public boolean wrote(Path file) {
            return kind.equals(WRITE) && target.equals(file.toString());
        }
    }

    /** Applies (or records) one change. {@code description} is what the operator reads; no secrets in it. */
    default void submit(String description, Runnable change) {
        submit(new Change(Change.CHANGE, "", description), change);
    }

    /** Applies (or records) one change, recorded with its kind and target for later steps to read. */
    void submit(Change change, Runnable apply);

    /** Every change submitted so far, in order. */
    List<Change> recorded();

    /** The descriptions of every change submitted so far, in order. */
    default List<String> changes() {
        return recorded().stream().map(Change::text).toList();
    }

    boolean applies();

    static ChangeGate applying(java.util.function.Consumer<String> report) {
        return new Gate(true, report);
    }

    static ChangeGate recording(java.util.function.Consumer<String> report) {
        return new Gate(false, report);
    }

    /** One implementation: the only difference between the two modes is whether the change runs. */
    final class Gate implements ChangeGate {
        private final boolean apply;
        private final java.util.function.Consumer<String> report;
        private final List<Change> changes = new java.util.ArrayList<>();

        private Gate(boolean apply, java.util.function.Consumer<String> report) {
            this.apply = apply;
            this.report = report;
        }

        @Override
        public void submit(Change change, Runnable applied) {
            report.accept(change.text());
            if (apply) {
                applied.run();
            }
            changes.add(change);
        }

        @Override
        public List<Change> recorded() {
            return List.copyOf(changes);
        }

        @Override
        public boolean applies() {
            return apply;
        }
    }
}
