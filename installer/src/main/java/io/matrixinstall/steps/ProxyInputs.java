package io.matrixinstall.steps;

import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.render.ContentHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What nginx reads at start and on reload, never by itself: its server blocks and certificates. nginx
 * cannot be asked which of them it loaded, so after every start or reload the agent records the
 * container (id and start time) with a hash of those files. A record that names another container or
 * another hash means nginx may serve something else than the disk says: reload. Reloads are graceful,
 * so erring towards one after a killed run costs nothing.
 */
final class ProxyInputs {
    private ProxyInputs() {}

    /** The hash of every file nginx loads: the server blocks in user_conf.d and the certificate pair. */
    static String hash(Host host, Layout layout) {
        ContentHash hash = new ContentHash();
        List<Path> files = new ArrayList<>();
        host.list(layout.userConfDir()).stream().filter(name -> name.endsWith(".conf"))
                .forEach(name -> files.add(layout.userConfDir().resolve(name)));
        files.addAll(List.of(layout.fullchain(), layout.privkey(), layout.chain()));
        // One round trip for all of them on a remote host.
        host.readAll(files).forEach((file, content) -> content.ifPresent(bytes -> hash.file(file, bytes)));
        return hash.hex();
    }

    static Optional<ServiceContainer> nginx(PlanContext context) {
        return context.docker().projectContainers(context.config().projects().proxy()).stream()
                .filter(c -> c.service().equals("nginx")).findFirst();
    }

    /** True when the record says this very container loaded exactly the files on disk. */
    static boolean loaded(PlanContext context, ServiceContainer nginx) {
        String expected = line(nginx, hash(context.host(), context.layout()));
        return context.host().read(context.layout().proxyLoadedRecord())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip().equals(expected))
                .orElse(false);
    }

    /** Called right after nginx (re)started or reloaded: it has loaded the files on disk now. */
    static void record(PlanContext context, ServiceContainer nginx) {
        context.host().writeAtomically(context.layout().proxyLoadedRecord(),
                (line(nginx, hash(context.host(), context.layout())) + "\n").getBytes(StandardCharsets.UTF_8),
                Ownership.ROOT, Layout.PRIVATE_FILE);
    }

    /** After `compose up` of the proxy stack. */
    static void recordStarted(PlanContext context) {
        nginx(context).filter(ServiceContainer::running).ifPresent(nginx -> record(context, nginx));
    }

    private static String line(ServiceContainer nginx, String hash) {
        return nginx.id() + " " + nginx.startedAt() + " " + hash;
    }
}
