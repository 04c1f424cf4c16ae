package io.matrixinstall.steps;

import io.matrixinstall.plan.Wants;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig.TlsMode;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes what an earlier configuration made and this one no longer wants, each as a change of its own
 * (so `--dry-run` lists it): the public proxy when tls.mode became none, server blocks this agent wrote
 * for a previous domain, another mode's settings file, and files of an older layout. Data stays: volumes,
 * certificates and anything the agent did not write (a server block without its marker) are left alone.
 */
public final class LeftoversStep implements Step {
    /** Every server block the agent writes carries this line (templates/nginx/server.conf.ftl). */
    static final String MANAGED_MARKER = "Managed by matrix-install.";

    @Override
    public String name() {
        return "leftovers";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        Layout layout = context.layout();
        wants.ask(Commands.projectContainers(context.config().projects().proxy()));
        wants.list(layout.userConfDir()).stat(layout.proxyCompose(), layout.proxyLoadedRecord(), layout.certbotEnv(),
                layout.secretsDir().resolve("postgres.env"), layout.ldapBindPassword());
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        Layout layout = context.layout();
        TlsMode mode = context.config().tls().mode();
        if (mode == TlsMode.NONE) {
            stopProxy(context);
            remove(context, layout.proxyCompose(), "tls.mode is none");
            remove(context, layout.proxyLoadedRecord(), "tls.mode is none");
        }
        java.util.Set<Path> wanted = layout.renderedFiles().stream().map(RenderedFile::path)
                .collect(java.util.stream.Collectors.toSet());
        for (String name : host.list(layout.userConfDir())) {
            Path block = layout.userConfDir().resolve(name);
            boolean ours = name.endsWith(".conf") && host.read(block)
                    .map(b -> new String(b, StandardCharsets.UTF_8).contains(MANAGED_MARKER)).orElse(false);
            if (ours && !wanted.contains(block)) {
                remove(context, block, mode == TlsMode.NONE ? "tls.mode is none" : "not the domain " + context.config().domain());
            }
        }
        if (!wanted.contains(layout.ldapBindPassword())) {
            remove(context, layout.ldapBindPassword(), "ldap.bind_dn is not set");
        }
        if (mode != TlsMode.NGINX_CERTBOT) {
            remove(context, layout.certbotEnv(), "tls.mode is not nginx-certbot");
        }
        // Older installs handed PostgreSQL its password through this env file (now a mounted secret file).
        remove(context, layout.secretsDir().resolve("postgres.env"), "replaced by POSTGRES_PASSWORD_FILE");
    }

    private static void remove(PlanContext context, Path path, String why) {
        if (context.host().stat(path).filter(state -> !state.directory()).isPresent()) {
            context.gate().submit("remove " + path + " (" + why + ")", () -> context.host().remove(path));
        }
    }

    private static void stopProxy(PlanContext context) {
        if (!context.engineAvailable()) {
            return;
        }
        String project = context.config().projects().proxy();
        List<String> ids = context.docker().projectContainers(project).stream().map(ServiceContainer::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        Path file = context.layout().proxyCompose();
        boolean haveFile = context.host().stat(file).isPresent();
        context.gate().submit("stop and remove the nginx stack (tls.mode is none; its volumes stay)", () -> {
            Command command = haveFile ? Commands.composeDown(context.compose(), project, file) : Commands.removeContainers(ids);
            context.host().exec(command).requireOk(command);
        });
    }
}
