package io.matrixinstall.plan;

/**
 * One idempotent piece of the plan: looks at the host first and submits a change to the gate only
 * where the host differs from what is wanted.
 */
public interface Step {
    /** Shown on progress lines, e.g. "directories". */
    String name();

    void run(PlanContext context);

    /** What this step will look at, named before the plan runs so the run reads it all at once ({@link Wants}). */
    default void wants(PlanContext context, Wants wants) {
    }
}
