package io.matrixinstall.steps;

import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import java.util.Map;

/**
 * Records the configuration this `up` runs with in the state directory (root 0700, file 0600: it may name
 * key files and hold the ACME CA's trust), so every later command, and the scheduled `renew`, needs no flags.
 * Runs right after the files are laid out: from then on the host holds an install, even if the health
 * wait later fails, and `status` must be able to say so.
 */
public final class RecordConfigStep implements Step {
    private final TemplateRenderer renderer;
    private final StateDir state;

    public RecordConfigStep(TemplateRenderer renderer, StateDir state) {
        this.renderer = renderer;
        this.state = state;
    }

    @Override
    public String name() {
        return "record configuration";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.stat(state.dir()).file(state.config());
    }

    @Override
    public void run(PlanContext context) {
        FileSync.directory(context, new ManagedDirectory(state.dir(), Ownership.ROOT, Layout.PRIVATE_DIR));
        FileSync.file(context, state.config(), render(renderer, context.config().settings()), Ownership.ROOT,
                Layout.PRIVATE_FILE);
    }

    static byte[] render(TemplateRenderer renderer, Map<String, String> settings) {
        return renderer.render("host/matrix-install.yaml.ftl", Map.of("settings", settings));
    }
}
