package io.matrixinstall.plan;

import java.util.List;

/**
 * The single door every change to a host goes through. {@code up} applies changes; {@code --dry-run}
 * only records them. Steps never change the host any other way, so a dry run lists exactly what a real
 * run would do.
 */
public interface ChangeGate {

    /** Applies (or records) one change. {@code description} is what the operator reads; no secrets in it. */
    void submit(String description, Runnable change);

    /** The descriptions of every change submitted so far, in order. */
    List<String> changes();

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
        private final List<String> changes = new java.util.ArrayList<>();

        private Gate(boolean apply, java.util.function.Consumer<String> report) {
            this.apply = apply;
            this.report = report;
        }

        @Override
        public void submit(String description, Runnable change) {
            report.accept(description);
            if (apply) {
                change.run();
            }
            changes.add(description);
        }

        @Override
        public List<String> changes() {
            return List.copyOf(changes);
        }

        @Override
        public boolean applies() {
            return apply;
        }
    }
}
