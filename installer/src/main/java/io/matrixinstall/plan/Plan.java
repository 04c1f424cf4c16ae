package io.matrixinstall.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of steps and how it runs: the facts every step wants gathered in one snapshot, then each step
 * in order. The plans themselves (up's, render's, renew's) are composed in {@code up/Plans}.
 */
public final class Plan {
    private final List<Step> steps;

    public Plan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** How the gathering of facts shows among the step timings. */
    private static final Step GATHER = new Step() {
        @Override
        public String name() {
            return "facts";
        }

        @Override
        public void run(PlanContext context) {
        }
    };

    public List<Step> steps() {
        return steps;
    }

    public Plan then(List<Step> more) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(more);
        return new Plan(all);
    }

    public void run(PlanContext context) {
        run(context, (step, elapsed) -> {});
    }

    /** Runs every step in order, telling {@code timing} how long each took (for --verbose and the benchmark). */
    public void run(PlanContext context, java.util.function.BiConsumer<Step, java.time.Duration> timing) {
        // The facts every step will compare, read in one snapshot (one round trip on a remote host).
        long gathering = System.nanoTime();
        Wants wants = new Wants();
        steps.forEach(step -> step.wants(context, wants));
        context.facts().gather(wants.request(), wants.questions());
        timing.accept(GATHER, java.time.Duration.ofNanos(System.nanoTime() - gathering));
        for (Step step : steps) {
            long start = System.nanoTime();
            step.run(context);
            timing.accept(step, java.time.Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
