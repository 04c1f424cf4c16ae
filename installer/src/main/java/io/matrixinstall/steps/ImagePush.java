package io.matrixinstall.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.LocalEngine;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code up --push-images} (air-gapped hosts): every image the host lacks, or holds under another id, is
 * streamed from the operator's local engine: {@code docker save} here, piped straight into {@code docker load}
 * on the host through {@link Host#execWithInput} (over SSH, the channel's input), with no copy of the whole
 * image on either side. Progress: megabytes and MB/s every few seconds.
 */
public final class ImagePush {
    static final long REPORT_EVERY_NANOS = 3_000_000_000L;

    private final LocalEngine source;

    public ImagePush(LocalEngine source) {
        this.source = source;
    }

    /** {@code engineThere}: the host's engine answers (false only in a dry run before Docker is installed). */
    public void run(PlanContext context, java.util.List<String> images, boolean engineThere) {
        for (String image : images.stream().distinct().toList()) {
            LocalEngine.Image local = source.image(image).orElseThrow(() -> new StepFailedException("--push-images: image "
                    + image + " is not in " + source.describe() + "; pull or load it there first"));
            Optional<String> there = engineThere ? context.docker().imageId(image) : Optional.empty();
            if (there.filter(local.id()::equals).isPresent()) {
                continue;
            }
            context.gate().submit("push image " + image + " (" + shortId(local.id()) + ", " + megabytes(local.bytes())
                    + " MB) from " + source.describe() + " to " + context.host().name()
                    + there.map(id -> ", replacing " + shortId(id)).orElse(""), () -> push(context, image, local));
        }
    }

    private void push(PlanContext context, String image, LocalEngine.Image local) {
        long start = System.nanoTime();
        ExecResult load;
        Counting counted;
        try (LocalEngine.Export export = source.export(image)) {
            counted = new Counting(export.output(), image, local.bytes(), start, context::progress);
            load = context.host().execWithInput(Commands.loadImage(), counted);
            export.finish();
        }
        if (!load.ok()) {
            throw new StepFailedException("docker load on " + context.host().name() + " failed for " + image + " (exit "
                    + load.exitCode() + "): " + ExecResult.lastLines(load.stderr().isBlank() ? load.stdout() : load.stderr(), 3));
        }
        context.docker().forget();
        String now = context.docker().imageId(image).orElse("nothing");
        if (!now.equals(local.id())) {
            throw new StepFailedException("pushed " + image + " to " + context.host().name() + " but it names " + shortId(now)
                    + " there, not " + shortId(local.id()));
        }
        context.progress("pushed " + image + ": " + counted.summary(System.nanoTime() - start));
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return "sha256:" + hex.substring(0, Math.min(12, hex.length()));
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
    }

    /** Counts what passes and says how far it got every few seconds. */
    static final class Counting extends FilterInputStream {
        private final String image;
        private final long expected;
        private final long start;
        private final Consumer<String> progress;
        private long bytes;
        private long lastReport;

        Counting(InputStream in, String image, long expected, long start, Consumer<String> progress) {
            super(in);
            this.image = image;
            this.expected = expected;
            this.start = start;
            this.lastReport = start;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            bytes += n;
            long now = System.nanoTime();
            if (now - lastReport >= REPORT_EVERY_NANOS) {
                lastReport = now;
                progress.accept("pushing " + image + ": " + megabytes(bytes) + " of about " + megabytes(expected) + " MB, "
                        + rate(now - start));
            }
        }

        long bytes() {
            return bytes;
        }

        String summary(long elapsedNanos) {
            return megabytes(bytes) + " MB in " + String.format(Locale.ROOT, "%.1f", elapsedNanos / 1e9) + " s (" + rate(elapsedNanos) + ")";
        }

        private String rate(long elapsedNanos) {
            return String.format(Locale.ROOT, "%.1f MB/s", bytes / 1_000_000.0 / Math.max(elapsedNanos / 1e9, 1e-3));
        }
    }
}
