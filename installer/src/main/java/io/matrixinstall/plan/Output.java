package io.matrixinstall.plan;

import java.util.Optional;

/**
 * A value one step hands to the steps after it, passed explicitly: the producing step owns it and sets it when it
 * runs; the plan's composer gives it to the consumers' constructors, so reading a plan shows who produces what and who
 * reads it. Read before its producer ran, it fails with one line naming the producer. A producer may also say it ran
 * and has nothing ({@link #none}: a dry run on a host without an engine yet, a proxy that was not signalled).
 */
public final class Output<T> {
    private final String producer;
    private Optional<T> value; // null until the producer ran

    /** {@code producer}: the step that sets it, as a failure names it, e.g. "the docker step". */
    public Output(String producer) {
        this.producer = producer;
    }

    public void set(T produced) {
        value = Optional.of(produced);
    }

    /** The producer ran and has nothing to hand on. */
    public void none() {
        value = Optional.empty();
    }

    /** What the producer handed on, if anything; fails when it has not run. */
    public Optional<T> optional() {
        if (value == null) {
            throw new IllegalStateException(producer + " has not run (a step that needs its output runs without it)");
        }
        return value;
    }

    public boolean present() {
        return optional().isPresent();
    }

    /** The value; fails when the producer has not run or had nothing. */
    public T get() {
        return optional().orElseThrow(() -> new IllegalStateException(producer + " had nothing to hand on"));
    }
}
