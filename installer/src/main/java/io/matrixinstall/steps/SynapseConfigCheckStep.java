package io.matrixinstall.steps;

import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Before any Synapse file is replaced, the new files are staged in a scratch directory and checked by
 * the configured Synapse image itself ({@code python -m synapse.config -c}). If Synapse rejects them,
 * the run stops with Synapse's words and the installed files and running stack stay as they were.
 * The scratch directory is the agent's own, outside managed state, and removed right after; it does not
 * go through the gate. The one-off container removes itself, even when the agent is killed.
 */
public final class SynapseConfigCheckStep implements Step {
    /** The scratch directory's name, and the label value of the check's one-off container. */
    public static final String SCRATCH = "synapse-config-check";
    private final TemplateRenderer renderer;
    private final Output<ComposeCli> compose;
    private final Output<Secrets> secrets;

    /** {@code compose}: the docker step's (none: no engine yet to check with); {@code secrets}: the secrets step's. */
    public SynapseConfigCheckStep(TemplateRenderer renderer, Output<ComposeCli> compose, Output<Secrets> secrets) {
        this.renderer = renderer;
        this.compose = compose;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return "synapse config check";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        Layout layout = context.layout();
        wants.file(Components.files(layout).stream().map(RenderedFile::path).filter(p -> p.getParent().equals(layout.filesDir()))
                .toList()).read(layout.signingKey());
    }

    @Override
    public void run(PlanContext context) {
        if (!context.gate().applies() || !compose.present()) {
            return; // a dry run changes nothing, so there is nothing to guard yet
        }
        Host host = context.host();
        Layout layout = context.layout();
        List<Staged> staged = new ArrayList<>();
        boolean changed = false;
        List<RenderedFile> checked = Components.files(layout).stream()
                .filter(file -> file.path().getParent().equals(layout.filesDir())).toList();
        // Their installed contents in one round trip on a remote host.
        Map<java.nio.file.Path, java.util.Optional<byte[]>> installed = host.readAll(checked.stream().map(RenderedFile::path).toList());
        for (RenderedFile file : checked) {
            byte[] content = Components.wantedFiles(context, renderer, secrets.get()).content(file.path());
            changed |= !installed.get(file.path()).map(now -> Arrays.equals(now, content)).orElse(false);
            staged.add(new Staged(file.path().getFileName().toString(), content));
        }
        if (!changed && !newSynapseImage(context)) {
            return;
        }
        staged.add(new Staged(layout.signingKey().getFileName().toString(), host.read(layout.signingKey()).orElseThrow()));
        // Staged outside every managed directory, in the lock holder's private scratch space: a killed run
        // leaves nothing in /data, and the next lock holder clears what it left.
        Path scratch = host.scratchDirectory(SCRATCH);
        try {
            // Synapse's check makes sure the media store exists; the scratch copy is mounted read-only.
            host.createDirectory(scratch.resolve(layout.mediaStore().getFileName()), Ownership.ROOT, 0700);
            for (Staged file : staged) {
                host.writeAtomically(scratch.resolve(file.name()), file.content(), Ownership.ROOT, 0600);
            }
            context.progress("checking the new homeserver.yaml with " + context.config().images().synapse());
            DockerEngine.OneOff check = context.engine().runOnce(SCRATCH, context.config().images().synapse(), "python",
                    List.of("-m", "synapse.config", "-c", "/data/homeserver.yaml"), scratch, "/data", Duration.ofMinutes(2));
            if (check.exitCode() != 0 && check.output().isBlank()) {
                // Killed or removed from outside (exit 137 is SIGKILL): not Synapse's verdict on the file.
                throw new StepFailedException("the check of the new homeserver.yaml ended with exit code " + check.exitCode()
                        + " and no output (was its container killed or removed?); nothing was changed and the running"
                        + " stack is untouched; run again");
            }
            if (check.exitCode() != 0) {
                throw new StepFailedException("Synapse rejected the new homeserver.yaml; nothing was changed and the"
                        + " running stack is untouched. Synapse said:\n" + ExecResult.lastLines(check.output(), 8));
            }
        } finally {
            host.removeScratchDirectory(SCRATCH);
        }
    }

    /** A new Synapse release may refuse a configuration the running one accepted: check it before it starts. */
    private static boolean newSynapseImage(PlanContext context) {
        String image = context.config().images().synapse();
        return context.docker().projectContainers(context.config().projects().matrix()).stream()
                .filter(c -> c.service().equals("synapse"))
                .anyMatch(c -> !context.docker().imageId(image).map(c.imageId()::equals).orElse(true));
    }

    private record Staged(String name, byte[] content) {}
}
