package io.matrixinstall.component;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.CopiedFile;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.render.WantedFiles;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The registry: every component of the stack, in order, and what the enabled ones add up to. A new component is one
 * more line in {@link #ALL} (see {@link Component} for the rest).
 */
public final class Components {
    /** The public proxy: its services and leftovers are what the proxy steps and `update` look at. */
    public static final Proxy PROXY = new Proxy();

    /**
     * Every component, in order: directories are created and services started in this order, stopped in the
     * reverse. A TLS mode is enabled when it is the configured one; exactly one is.
     */
    public static final List<Component> ALL = Stream.of(
            Stream.<Component>of(new MatrixProject(), new Postgres(), new Synapse(), new Element(), new ElementBranding(),
                    new Registration(), new Mail(), new Ldap(), new Turn(), PROXY),
            TlsModes.ALL.stream().map(Component.class::cast),
            Stream.<Component>of(Schedule.RENEWAL, Schedule.REFRESH))
            .flatMap(s -> s).toList();

    private Components() {}

    public static List<Component> enabled(InstallConfig config) {
        return ALL.stream().filter(c -> c.enabled(config)).toList();
    }

    public static List<Component> disabled(InstallConfig config) {
        return ALL.stream().filter(c -> !c.enabled(config)).toList();
    }

    /** The generated secrets of the enabled components, in registry order: generated, backed up and restored. */
    public static List<Secret> secrets(InstallConfig config) {
        return enabled(config).stream().flatMap(c -> c.secrets().stream()).toList();
    }

    /** Every directory the enabled components need, parents first. */
    public static List<ManagedDirectory> directories(Layout layout) {
        return enabled(layout.config()).stream().flatMap(c -> c.directories(layout).stream()).toList();
    }

    /**
     * Every file the enabled components render, in registry order but the compose files last: a service's inputs
     * label hashes the files it reads, so those are written before the file that defines it.
     */
    public static List<RenderedFile> files(Layout layout) {
        Set<Path> composeFiles = services(layout).stream().map(ComposeService::composeFile).collect(Collectors.toSet());
        List<RenderedFile> files = enabled(layout.config()).stream().flatMap(c -> c.files(layout).stream()).toList();
        return Stream.concat(files.stream().filter(f -> !composeFiles.contains(f.path())),
                files.stream().filter(f -> composeFiles.contains(f.path()))).toList();
    }

    /** Every file the enabled components copy from the operator's machine. */
    public static List<CopiedFile> copies(Layout layout) {
        return enabled(layout.config()).stream().flatMap(c -> c.copies(layout).stream()).toList();
    }

    /** Every Compose service of the enabled components, in start order. */
    public static List<ComposeService> services(Layout layout) {
        return enabled(layout.config()).stream().flatMap(c -> c.services(layout).stream()).toList();
    }

    /** Every image the enabled components need, once each. */
    public static List<String> images(Layout layout) {
        return enabled(layout.config()).stream().flatMap(c -> c.images(layout).stream()).distinct().toList();
    }

    /** Ports bound on every address by the enabled components. */
    public static List<Integer> publicPorts(InstallConfig config) {
        return enabled(config).stream().flatMap(c -> c.publicPorts(config).stream()).distinct().toList();
    }

    /** The configured directories the enabled components create, by configuration key, in order. */
    public static Map<String, Path> configuredDirectories(InstallConfig config, boolean systemd) {
        Map<String, Path> roots = new LinkedHashMap<>();
        enabled(config).forEach(c -> roots.putAll(c.configuredDirectories(config, systemd)));
        return roots;
    }

    /** The values the enabled components give the template model. */
    public static Map<String, Object> templateValues(InstallConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        enabled(config).forEach(c -> values.putAll(c.templateValues(config)));
        return values;
    }

    /** The lines `status` prints about the enabled components. */
    public static List<String> statusLines(StatusSource source) {
        List<String> lines = new ArrayList<>();
        enabled(source.config()).forEach(c -> lines.addAll(c.statusLines(source)));
        return lines;
    }

    /**
     * The {@link Component#notices} of every enabled component whose files the gate wrote in this run (or, in a dry
     * run, would write): read from the changes it recorded, never from their text.
     */
    public static List<String> notices(Layout layout, List<ChangeGate.Change> recorded) {
        return enabled(layout.config()).stream()
                .filter(c -> c.files(layout).stream().anyMatch(f -> recorded.stream().anyMatch(r -> r.wrote(f.path()))))
                .flatMap(c -> c.notices(layout.config()).stream()).toList();
    }

    /** What every rendered file should hold, from the configuration and {@code secrets}. */
    public static WantedFiles wantedFiles(TemplateRenderer renderer, InstallConfig config, Layout layout, Secrets secrets,
            boolean ipv6) {
        return WantedFiles.render(renderer, TemplateModel.of(config, layout, secrets, ipv6), files(layout), layout);
    }

    /**
     * The same, rendered once per run (the configuration files, the stacks' inputs labels and the config check all
     * compare with it); again only if the secrets it was rendered with changed.
     */
    public static WantedFiles wantedFiles(PlanContext context, TemplateRenderer renderer) {
        return context.derived(WantedFiles.class, context.secrets(), () -> wantedFiles(renderer, context.config(),
                context.layout(), context.secrets(), HostIpv6.available(context.host())));
    }
}
