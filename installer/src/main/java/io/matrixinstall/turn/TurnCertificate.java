package io.matrixinstall.turn;

import io.matrixinstall.command.Commands;
import io.matrixinstall.component.Turn;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.render.ContentHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * coturn reads the proxy's certificate once, at start, as root (it cannot re-read the root-only key after dropping to
 * nobody). On a first install the certificate only exists after the stack started, and a renewed one replaces it
 * later: like the proxy's record (ProxyInputs), the agent records which container started with which certificate,
 * and restarts coturn when the certificate on disk is another one. Runs after the certificate steps.
 */
public final class TurnCertificate implements Step {
    static final String SERVICE = "coturn";

    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's (none: no engine yet, no coturn to restart). */
    public TurnCertificate(Output<ComposeCli> compose) {
        this.compose = compose;
    }

    @Override
    public String name() {
        return "turn certificate";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        if (served(context)) {
            wants.file(context.layout().fullchain(), context.layout().turnLoadedRecord());
        }
    }

    @Override
    public void run(PlanContext context) {
        if (!served(context) || !compose.present()) {
            return;
        }
        Optional<ServiceContainer> coturn = coturn(context).filter(ServiceContainer::running);
        Optional<String> certificate = certificateHash(context);
        if (coturn.isEmpty() || certificate.isEmpty() || loaded(context, coturn.get(), certificate.get())) {
            return;
        }
        Layout layout = context.layout();
        String project = context.config().projects().matrix();
        context.gate().submit("restart coturn (to load the TLS certificate " + layout.fullchain() + ")", () -> {
            Command restart = Commands.composeRestart(compose.get(), project, layout.composeFile(), List.of(SERVICE));
            context.host().exec(restart).requireOk(restart);
            recordStarted(context);
        });
    }

    /** After coturn (re)started: it has loaded the certificate on disk now (or none, if there is none yet). */
    public static void recordStarted(PlanContext context) {
        if (!served(context)) {
            return;
        }
        Optional<String> certificate = certificateHash(context);
        coturn(context).filter(ServiceContainer::running).ifPresent(coturn -> context.host().writeAtomically(
                context.layout().turnLoadedRecord(), (line(coturn, certificate.orElse("none")) + "\n")
                        .getBytes(StandardCharsets.UTF_8), Ownership.ROOT, Layout.PRIVATE_FILE));
    }

    private static boolean served(PlanContext context) {
        return Turn.tlsServed(context.config());
    }

    private static Optional<ServiceContainer> coturn(PlanContext context) {
        return context.docker().projectContainers(context.config().projects().matrix()).stream()
                .filter(c -> c.service().equals(SERVICE)).findFirst();
    }

    private static Optional<String> certificateHash(PlanContext context) {
        Path chain = context.layout().fullchain();
        return context.host().read(chain).map(bytes -> new ContentHash().file(chain, bytes).hex());
    }

    private static boolean loaded(PlanContext context, ServiceContainer coturn, String certificate) {
        return context.host().read(context.layout().turnLoadedRecord())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip().equals(line(coturn, certificate)))
                .orElse(false);
    }

    private static String line(ServiceContainer coturn, String certificate) {
        return coturn.id() + " " + coturn.startedAt() + " " + certificate;
    }
}
