package io.matrixinstall.component;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.CopiedFile;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.secrets.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One part of the stack (PostgreSQL, Synapse, Element, the public proxy, a TLS mode, a schedule) with everything it
 * implies on the host: its directories and rendered files, its Compose services and their images, the public
 * ports it binds, the secrets it reads, the configured directories it creates, the values its templates need,
 * what `status` says about it, and what to remove once it is switched off. The generic steps (directories,
 * configuration files, images, preflight, leftovers, status) ask every component in {@link Components} and know
 * none of them.
 *
 * <h2>Adding a component</h2>
 * <ol>
 *   <li>A new class implementing this interface (in this package, or a package of its own below it): say when it
 *       is {@link #enabled}, and override only what it owns; every method has an empty default.</li>
 *   <li>Its templates under {@code templates/} (named by {@link RenderedFile#template()}), its paths as methods of
 *       {@link Layout} or of the class itself, a Compose service in a compose template when it runs one.</li>
 *   <li>One line in {@link Components#ALL}, where its place in the order matters (directories are created, and
 *       services started, in that order; stopped in the reverse).</li>
 * </ol>
 * No other component, and no step, changes. Values a template needs go through {@link #templateValues}; a template
 * then tests a value (e.g. {@code proxy.terminates_tls}), never the name of a TLS mode or a component.
 *
 * <p>Components describe; they do not act: what they return is data the steps compare with the host and apply
 * through the change gate. This interface only grows (default methods): components of other branches build on it.
 */
public interface Component {

    /** Short name for messages and the registry, e.g. "synapse", "proxy", "tls acme", "renewal schedule". */
    String name();

    /** Whether the configuration wants this component on the host. */
    boolean enabled(InstallConfig config);

    /** Why it is off, for the line of a leftover it removes (e.g. "tls.mode is none"). */
    default String disabledBecause(InstallConfig config) {
        return name() + " is not configured";
    }

    /** Directories it needs, parents first, with owner and mode. */
    default List<ManagedDirectory> directories(Layout layout) {
        return List.of();
    }

    /** Files it renders from templates/. */
    default List<RenderedFile> files(Layout layout) {
        return List.of();
    }

    /** Files it copies as they are from the operator's machine (written with the rendered ones). */
    default List<CopiedFile> copies(Layout layout) {
        return List.of();
    }

    /** The Compose services it runs, in start order. */
    default List<ComposeService> services(Layout layout) {
        return List.of();
    }

    /** Images it needs on the host: by default those of its services. */
    default List<String> images(Layout layout) {
        return services(layout).stream().map(ComposeService::image).distinct().toList();
    }

    /** Ports it binds on every address (preflight refuses when another program holds one). */
    default List<Integer> publicPorts(InstallConfig config) {
        return List.of();
    }

    /**
     * Ports its own services bind on the host, as "PORT/tcp" or "PORT/udp": preflight refuses when another program
     * holds one (a running service of this component holding it is itself).
     */
    default List<String> ownPorts(InstallConfig config) {
        return List.of();
    }

    /** Generated secrets it reads. */
    default List<Secret> secrets() {
        return List.of();
    }

    /**
     * Configured directories (a key of the configuration and its path) it creates or sets to root 0755: the foreign
     * directory guard refuses one that is visibly someone else's before anything changes.
     */
    default Map<String, Path> configuredDirectories(InstallConfig config, boolean systemd) {
        return Map.of();
    }

    /** Values its templates read, merged into the one template model (a key per component, e.g. "proxy"). */
    default Map<String, Object> templateValues(InstallConfig config) {
        return Map.of();
    }

    /** What to remove from the host once it is switched off (while it is enabled nothing of this is touched). */
    default List<Leftover> leftovers(Layout layout) {
        return List.of();
    }

    /**
     * What to remove while it is on: what an older layout or an earlier configuration of it left (a server block
     * for another domain, a replaced env file). Each carries its reason ({@link Leftover#because}).
     */
    default List<Leftover> obsolete(Layout layout) {
        return List.of();
    }

    /**
     * Lines for the admin after a run that wrote one of its {@link #files} (it was switched on or reconfigured): what
     * it needs from outside the host, e.g. ports to open in the firewall. A run that changed nothing of it stays
     * quiet; {@link #statusLines} keep the facts available on demand.
     */
    default List<String> notices(InstallConfig config) {
        return List.of();
    }

    /** Lines `status` prints about it, from what the host says ({@link StatusSource}). */
    default List<String> statusLines(StatusSource source) {
        return List.of();
    }
}
