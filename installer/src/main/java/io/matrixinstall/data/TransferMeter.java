package io.matrixinstall.data;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.plan.PlanContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a long stream into (or out of) a file on the host: every few seconds one line with the bytes so far,
 * asked of the host ({@code stat}), so it works the same over SSH. Closing it prints the total and the rate.
 */
public final class TransferMeter implements AutoCloseable {
    private static final long EVERY_SECONDS = 5;
    private final PlanContext context;
    private final Path file;
    private final String what;
    private final boolean growing;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService ticker;

    private TransferMeter(PlanContext context, Path file, String what, boolean growing) {
        this.context = context;
        this.file = file;
        this.what = what;
        this.growing = growing;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "transfer-meter");
            thread.setDaemon(true);
            return thread;
        });
        if (growing) {
            ticker.scheduleAtFixedRate(() -> size().ifPresent(bytes -> context.progress(String.format("%s: %s so far (%.0f s)",
                    what, Sizes.human(bytes), seconds()))), EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        } else {
            ticker.scheduleAtFixedRate(() -> context.progress(String.format("%s: still reading %s (%.0f s)", what, file,
                    seconds())), EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** A file being written. */
    public static TransferMeter watch(PlanContext context, Path file, String what) {
        return new TransferMeter(context, file, what, true);
    }

    /** A file being read (its size is known; the rate is what is worth saying). */
    public static TransferMeter reading(PlanContext context, Path file, String what) {
        return new TransferMeter(context, file, what, false);
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    java.util.Optional<Long> size() {
        try {
            ExecResult result = context.host().exec(Commands.fileSizes(List.of(file)));
            return result.ok() ? java.util.Optional.of(Long.parseLong(result.stdout().strip())) : java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // progress only: never the reason a transfer fails
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        double seconds = seconds();
        size().ifPresent(bytes -> context.progress(String.format("%s: %s in %.1f s (%.1f MB/s)", what, Sizes.human(bytes),
                seconds, bytes / 1e6 / Math.max(seconds, 0.001))));
    }
}
