package io.matrixinstall.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.up.Plans;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.steps.DockerStep;
import io.matrixinstall.steps.ForeignDirectoryGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An existing directory at a configured path that is someone else's is refused before any change; one the
 * product made and a killed run left half-done is repaired. A temp tree stands in for / (as in LayoutPlanTest).
 */
class ForeignDirectoryGuardTest {
    @TempDir
    Path root;

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "base_dir", "/srv/shared",
                    "renewal.schedule", "cron"));

    private Host host() {
        return new RootedHost(new LocalHost(), root);
    }

    private Path directory(String path, Ownership owner, int mode) {
        host().createDirectory(Path.of(path), owner, mode);
        return root.resolve(path.substring(1));
    }

    private String refusal(InstallConfig config, boolean dryRun) throws IOException {
        long before = count();
        PlanContext context = new PlanContext(config, host(),
                dryRun ? ChangeGate.recording(line -> {}) : ChangeGate.applying(line -> {}));
        String message = assertThrows(ConfigException.class, () -> Plans.files().run(context)).getMessage();
        assertEquals(List.of(), context.gate().changes(), "nothing planned before the refusal");
        assertEquals(before, count(), "nothing created");
        return message;
    }

    private long count() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.count();
        }
    }

    @Test
    void aWorldWritableStickyDirectoryIsRefusedAndLeftAsItIs() throws IOException {
        Path shared = directory("/srv/shared", Ownership.ROOT, 01777);
        assertEquals("base_dir: /srv/shared is shared (sticky bit) (root:root 1777), so not matrix-install's to make"
                + " root:root 0755; choose a directory of its own, or make it root:root 0755 yourself", refusal(config, false));
        assertEquals(new FileState(true, Ownership.ROOT, 01777), host().stat(Path.of("/srv/shared")).orElseThrow());
        assertEquals(0, Files.list(shared).count());
        directory("/srv/shared", Ownership.ROOT, 0777);
        assertEquals("base_dir: /srv/shared is writable by every user (root:root 0777), so not matrix-install's to"
                + " make root:root 0755; choose a directory of its own, or make it root:root 0755 yourself",
                refusal(config, true));
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws IOException {
        directory("/root/nginx", new Ownership(1000, 1000), 0755);
        assertEquals("proxy_dir: /root/nginx is owned by uid 1000 (1000:1000 0755), so not matrix-install's to make"
                + " root:root 0755; choose a directory of its own, or make it root:root 0755 yourself", refusal(config, true));
    }

    @Test
    void aDirectoryAGroupSharesIsRefused() throws IOException {
        directory("/data/nginx", new Ownership(0, 50), 02775);
        assertEquals("proxy_data_dir: /data/nginx is writable by group 50 (root:50 2775), so not matrix-install's to"
                + " make root:root 0755; choose a directory of its own, or make it root:root 0755 yourself",
                refusal(config, false));
    }

    @Test
    void theCronDirectoryIsCheckedWhenCronRunsTheRenewals() throws IOException {
        directory("/etc/cron.d", new Ownership(1000, 0), 0755);
        assertEquals("renewal.cron_dir: /etc/cron.d is owned by uid 1000 (1000:root 0755), so not matrix-install's to"
                + " make root:root 0755; choose a directory of its own, or make it root:root 0755 yourself",
                refusal(config, false));
        InstallConfig systemd = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org", "renewal.schedule", "systemd"));
        // systemd runs the renewals: the cron directory is not the product's concern, and is not checked.
        new ForeignDirectoryGuard().run(new PlanContext(systemd, host(), ChangeGate.recording(line -> {})));
    }

    @Test
    void aFileWhereTheDirectoryBelongsIsRefused() throws IOException {
        Files.createDirectories(root.resolve("srv"));
        Files.writeString(root.resolve("srv/shared"), "x");
        assertEquals("base_dir: /srv/shared exists and is not a directory (a file or a symbolic link); move it away"
                + " or choose another directory", refusal(config, false));
    }

    @Test
    void whatAKilledRunLeftIsRepairedNotRefused() {
        // Created by the product as root, killed before it set the mode: the umask's 0700, or a setgid parent's group.
        directory("/srv/shared", Ownership.ROOT, 0700);
        directory("/root/nginx", new Ownership(0, 50), 02755);
        directory("/data/nginx", Ownership.ROOT, 0775);
        PlanContext context = new PlanContext(config, host(), ChangeGate.applying(line -> {}));
        Plans.files().run(context);
        assertTrue(context.gate().changes().containsAll(List.of(
                "set /srv/shared to root:root 0755 (was root:root 0700)",
                "set /root/nginx to root:root 0755 (was root:50 2755)",
                "set /data/nginx to root:root 0755 (was root:root 0775)")), String.join("\n", context.gate().changes()));
        assertEquals(new FileState(true, Ownership.ROOT, 0755), host().stat(Path.of("/srv/shared")).orElseThrow());
    }

    @Test
    void upChecksBeforeDockerIsInstalled() {
        List<String> names = Plans.up().steps().stream().map(Step::name).toList();
        assertTrue(names.indexOf(new ForeignDirectoryGuard().name()) < names.indexOf(new DockerStep(null).name()),
                names.toString());
    }
}
