package io.matrixinstall.data;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import java.nio.file.Path;

/**
 * Where `restore` and `migrate` put what they check before using it: {base_dir}/restore-staging, root 0700, on the
 * install's disk (a dump or a media archive may not fit the run directory's tmpfs), and out of reach of Synapse's
 * uid, which owns files/. It holds verified copies of the backup's big parts and the unpacked media until they are
 * used; each run starts it afresh, and it is removed when the media are in place or the run failed.
 */
final class RestoreStaging {
    private RestoreStaging() {}

    static Path directory(Layout layout) {
        return layout.baseDir().resolve("restore-staging");
    }

    /** An empty staging directory (what a killed run left is removed first). */
    static Path fresh(PlanContext context) {
        remove(context);
        Path dir = directory(context.layout());
        context.host().createDirectory(dir, Ownership.ROOT, Layout.PRIVATE_DIR);
        return dir;
    }

    static void remove(PlanContext context) {
        Command rm = Commands.removeTree(directory(context.layout()));
        context.host().exec(rm).requireOk(rm);
    }
}
