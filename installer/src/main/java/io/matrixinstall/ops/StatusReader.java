package io.matrixinstall.ops;

import io.matrixinstall.component.ComposeService;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.component.Components;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.Containers;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads what `status` shows from the host, through the docker CLI and plain tools on the host (so it works
 * the same over SSH): each service's container and image, and disk use.
 */
public final class StatusReader {
    private final Host host;
    private final InstallConfig config;

    public StatusReader(Host host, InstallConfig config) {
        this.host = host;
        this.config = config;
    }

    /** Every service in dependency order, health read live where Docker still says "starting". */
    public List<ServiceState> services() {
        List<ComposeService> services = ComposeService.startOrder(config);
        Map<String, ServiceContainer> byService = new HashMap<>();
        for (String project : new LinkedHashSet<>(services.stream().map(ComposeService::project).toList())) {
            for (ServiceContainer container : Containers.now(host, project)) {
                byService.put(project + "/" + container.service(), container);
            }
        }
        Map<String, String[]> images = images(byService.values().stream().map(ServiceContainer::imageId).distinct().toList());
        Map<String, String> configured = new HashMap<>();
        Components.services(new Layout(config)).forEach(s -> configured.put(s.name(), s.image()));
        List<ServiceState> states = new ArrayList<>();
        for (ComposeService service : services) {
            String reference = configured.get(service.name());
            ServiceContainer container = byService.get(service.project() + "/" + service.name());
            if (container == null) {
                states.add(ServiceState.missing(service, reference));
                continue;
            }
            String state = container.status();
            String health = container.health().orElse("none");
            boolean running = state.equals("running");
            if (running && health.equals("starting")) {
                // Docker has not run its first check since the start: ask now rather than report a stale "starting".
                health = Containers.healthyNow(host, container) ? "healthy" : "starting";
            }
            if (!running) {
                health = "none";
            }
            boolean healthy = running && (health.equals("healthy") || health.equals("none"));
            String[] image = images.getOrDefault(container.imageId(), new String[] {container.imageId(), "", "[]"});
            states.add(new ServiceState(service.name(), service.project(), container.id(), state, health, healthy,
                    container.imageReference(), container.imageId(), digest(container.imageReference(), image[2]),
                    image[1].isEmpty() ? null : image[1], container.startedAt(), container.restarts()));
        }
        return states;
    }

    private Map<String, String[]> images(List<String> ids) {
        Map<String, String[]> images = new HashMap<>();
        if (ids.isEmpty()) {
            return images;
        }
        ExecResult result = host.exec(Commands.imageStatus(ids));
        // An image removed under a running container is not an error for status: it just has no age then.
        result.stdout().lines().map(l -> l.split("\t", -1)).filter(f -> f.length == 3).forEach(f -> images.put(f[0], f));
        return images;
    }

    /** The repository digest that belongs to the reference's repository, if the image came from a registry. */
    static String digest(String reference, String repoDigestsJson) {
        List<String> digests;
        try {
            String[] parsed = new ObjectMapper().readValue(repoDigestsJson, String[].class);
            digests = parsed == null ? List.of() : List.of(parsed);
        } catch (JsonProcessingException e) {
            return null;
        }
        String repository = repository(reference);
        return digests.stream().filter(d -> repository(d).equals(repository)).findFirst()
                .orElse(digests.isEmpty() ? null : digests.get(0));
    }

    /** "nginx:stable-alpine" → "nginx", "docker.io/library/nginx@sha256:…" → "nginx". */
    static String repository(String reference) {
        String name = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        for (String prefix : List.of("docker.io/library/", "docker.io/", "library/")) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            }
        }
        return name;
    }

    /** Bytes used under a directory, empty when it cannot be measured. */
    public OptionalLong diskUse(Path path) {
        try {
            ExecResult du = host.exec(Commands.diskUsage(path));
            return du.ok() ? parseLeadingLong(du.stdout()) : OptionalLong.empty();
        } catch (HostException e) {
            return OptionalLong.empty();
        }
    }

    /** Bytes the database volume holds, measured at its mount point on the engine's host. */
    public OptionalLong volumeUse(String volume) {
        try {
            ExecResult mount = host.exec(Commands.volumeMountpoint(volume));
            return mount.ok() ? diskUse(Path.of(mount.stdout().strip())) : OptionalLong.empty();
        } catch (HostException | java.nio.file.InvalidPathException e) {
            return OptionalLong.empty();
        }
    }

    /** Free bytes on the file system holding {@code path} (df -P -B1: the fourth column). */
    public OptionalLong freeBytes(Path path) {
        try {
            ExecResult df = host.exec(Commands.freeBytes(path));
            if (!df.ok()) {
                return OptionalLong.empty();
            }
            List<String> lines = df.stdout().strip().lines().toList();
            String[] fields = lines.get(lines.size() - 1).trim().split("\\s+");
            return fields.length >= 4 ? OptionalLong.of(Long.parseLong(fields[3])) : OptionalLong.empty();
        } catch (HostException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong parseLeadingLong(String text) {
        String[] fields = text.strip().split("\\s+");
        try {
            return fields.length == 0 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[0]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
