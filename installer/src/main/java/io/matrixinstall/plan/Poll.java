package io.matrixinstall.plan;

import io.matrixinstall.host.FactsHost;
import io.matrixinstall.engine.ServiceContainer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way the agent waits for something on the host (Synapse's /health, a service's health check, the proxy
 * serving its certificate): asked live every interval until it holds or the deadline passes. Polls never read the
 * run's facts ({@link FactsHost}): what they wait for is a change in progress.
 */
public final class Poll {
    private Poll() {}

    /** One look; {@code elapsed} since the wait began. True ends the wait; throwing ends it too. */
    public interface Check {
        boolean done(Duration elapsed);
    }

    /**
     * Asks {@code check} every {@code interval} until it says done; past {@code deadline} (a {@link System#nanoTime}),
     * throws what {@code late} makes. Returns how long it took.
     */
    public static Duration until(long deadline, Duration interval, String what, Check check, Supplier<RuntimeException> late) {
        long start = System.nanoTime();
        while (true) {
            if (check.done(Duration.ofNanos(System.nanoTime() - start))) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw late.get();
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for " + what);
            }
        }
    }

    /** The deadline {@code --timeout} (the run's health timeout) sets from now. */
    public static long deadline(PlanContext context) {
        return System.nanoTime() + context.options().healthTimeout().toNanos();
    }

    /**
     * Until the service's container runs and passes its own health check, run live (Docker's stored status lags up
     * to an interval behind). Past {@code deadline}, fails with {@code late} given the container as last seen.
     */
    public static void healthy(PlanContext context, String project, String service, long deadline,
            Function<Optional<ServiceContainer>, String> late) {
        @SuppressWarnings("unchecked")
        Optional<ServiceContainer>[] seen = new Optional[] {Optional.empty()};
        until(deadline, Duration.ofMillis(250), service, elapsed -> {
            seen[0] = context.docker().containersNow(project).stream().filter(c -> c.service().equals(service)).findFirst();
            return seen[0].filter(c -> c.running() && (c.healthy() || context.docker().healthyNow(c))).isPresent();
        }, () -> new StepFailedException(late.apply(seen[0])));
    }
}
