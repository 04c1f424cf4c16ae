package io.matrixinstall.steps;

import io.matrixinstall.engine.ProjectContainers;
import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.host.Command;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reloads nginx (gracefully: connections in flight finish) when what it has loaded is not what the disk
 * holds — after a new server block or certificate, or after a run that was killed before it reloaded. Without the
 * proxy ({@code tls.mode none}) it does nothing and reads nothing.
 */
public final class NginxReloadStep implements Step {
    private final Output<ComposeCli> compose;
    private final Output<Instant> signalled = new Output<>("the nginx reload step");

    /** {@code compose}: the docker step's (none: no engine yet, no nginx to reload). */
    public NginxReloadStep(Output<ComposeCli> compose) {
        this.compose = compose;
    }

    /** When this run told the proxy to take changed files (none: it did not); the readiness wait looks for a reload after it. */
    public Output<Instant> signalled() {
        return signalled;
    }

    @Override
    public String name() {
        return "nginx reload";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        if (!Components.PROXY.enabled(context.config())) {
            return;
        }
        var layout = context.layout();
        wants.list(layout.userConfDir()).read(layout.proxyLoadedRecord(), layout.serverBlock(), layout.certbotHttpServer(),
                layout.fullchain(), layout.privkey(), layout.chain());
        wants.ask(ProjectContainers.QUESTION, context.config().projects().proxy());
    }

    @Override
    public void run(PlanContext context) {
        signalled.none();
        if (!Components.PROXY.enabled(context.config()) || !compose.present()) {
            return;
        }
        Optional<ServiceContainer> nginx = ProxyInputs.nginx(context).filter(ServiceContainer::running);
        if (nginx.isEmpty()) {
            return; // not started yet (a dry run): starting it loads the files, the stack step says so
        }
        // A dry run wrote nothing: the files it would write are what nginx would have to load.
        boolean wouldChange = !context.gate().applies() && List.of(context.layout().serverBlock(),
                context.layout().certbotHttpServer(), context.layout().fullchain(), context.layout().privkey(),
                context.layout().chain()).stream().anyMatch(context::changed);
        if (!wouldChange && ProxyInputs.loaded(context, nginx.get())) {
            return;
        }
        TlsModeComponent flavor = TlsModes.of(context.config());
        context.gate().submit(flavor.refreshVerb() + " nginx (server blocks or certificates differ from what it loaded)", () -> {
            Command reload = flavor.refresh(compose.get(), context.config().projects().proxy(),
                    context.layout().proxyCompose());
            signalled.set(Instant.now());
            ExecResult result = context.host().exec(reload);
            if (!result.ok()) {
                throw new StepFailedException("nginx did not reload: " + ExecResult.lastLines(result.stderr(), 5));
            }
            ProxyInputs.record(context, nginx.get());
        });
    }
}
