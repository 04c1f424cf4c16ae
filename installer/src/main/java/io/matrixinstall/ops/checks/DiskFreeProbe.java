package io.matrixinstall.ops.checks;

import java.util.OptionalLong;

/** The file system holding base_dir (uploads, the database's neighbours) has at least params.min_free_mb free. */
final class DiskFreeProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        OptionalLong free = context.reader().freeBytes(context.config().baseDir());
        if (free.isEmpty()) {
            return CheckResult.warn(check, "cannot measure the free space of " + context.config().baseDir());
        }
        long mb = free.getAsLong() / (1024 * 1024);
        String message = mb + " MiB free on the file system of " + context.config().baseDir();
        return mb < Long.parseLong(check.param("min_free_mb")) ? CheckResult.fail(check, message) : CheckResult.ok(check, message);
    }
}
