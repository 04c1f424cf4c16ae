package io.matrixinstall.plan.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.render.TemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent the schedules run: its jar written through the host only when the host's copy hashes differently,
 * and the Java to run it: this JVM on this machine, the distribution's java (installed by provisioning/jre.yaml
 * when missing) on another host.
 */
class AgentOnHostTest {
    private static final String DEBIAN = "Debian GNU/Linux 12 (bookworm)";

    @TempDir
    Path dir;

    private Path jar;
    private byte[] jarBytes;

    @BeforeEach
    void aJar() throws IOException {
        jar = dir.resolve("running/matrix-install.jar");
        Files.createDirectories(jar.getParent());
        jarBytes = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(jarBytes);
        Files.write(jar, jarBytes);
    }

    private InstallConfig config(String base) {
        Map<String, String> flags = new HashMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org",
                "tls.mode", "acme", "renewal.schedule", "cron"));
        flags.put("renewal.agent_dir", base + "/usr/local/lib/matrix-install");
        flags.put("renewal.cron_dir", base + "/etc/cron.d");
        flags.put("renewal.systemd_dir", base + "/etc/systemd/system");
        return ConfigLoader.load(Optional.empty(), flags);
    }

    /** Both schedules of one plan, as {@code up} runs them (sharing one agent). */
    private List<String> schedules(Host host, InstallConfig config, boolean apply) {
        StateDir state = new StateDir(dir.resolve("state"));
        AgentOnHost agent = new AgentOnHost(state, () -> Optional.of(jar), new TemplateRenderer());
        ChangeGate gate = apply ? ChangeGate.applying(line -> {}) : ChangeGate.recording(line -> {});
        PlanContext context = new PlanContext(config, host, gate, RunOptions.defaults(), line -> {}, DockerEngine::connect);
        new RenewalScheduleStep(new TemplateRenderer(), state, agent).run(context);
        new RefreshScheduleStep(new TemplateRenderer(), state, agent).run(context);
        return context.gate().changes();
    }

    @Test
    void onAnotherHostADryRunListsTheJarOnceAndTheJreRecipeBeforeTheSchedules() throws IOException {
        Path root = dir.resolve("target");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"" + DEBIAN + "\"\nID=debian\nVERSION_CODENAME=bookworm\n");
        // A bare target: no java answers (a render root runs no programs), no agent, no schedule.
        List<String> changes = schedules(new RootedHost(new LocalHost(), root), config(""), false);
        assertEquals(List.of(
                "create directory /usr/local/lib/matrix-install (root:root 0755)",
                "write /usr/local/lib/matrix-install/matrix-install.jar (root:root 0644, sha256 "
                        + FileSync.sha256(jarBytes).substring(0, 12) + "…)",
                "install default-jre-headless from " + DEBIAN + "'s packages",
                "create directory /etc/cron.d (root:root 0755)",
                "write /etc/cron.d/matrix-install-renew (root:root 0644)",
                "write /etc/cron.d/matrix-install-refresh (root:root 0644)"), changes);
    }

    @Test
    void onAnotherHostTheJarIsComparedByHashAndTheSchedulesRunItsOwnJava() throws IOException {
        Path base = dir.resolve("other");
        InstallConfig config = config(base.toString());
        Host other = new ForwardingHost(new LocalHost(dir.resolve("run")));
        schedules(other, config, true);
        Path agentJar = base.resolve("usr/local/lib/matrix-install/matrix-install.jar");
        assertArrayEquals(jarBytes, Files.readAllBytes(agentJar));
        // This machine has Debian's java 17 at /usr/bin/java, as the recipe names it: nothing is installed, and
        // the schedule runs that one, not the JVM running this test.
        String cron = Files.readString(base.resolve("etc/cron.d/matrix-install-refresh"));
        assertTrue(cron.contains(" root /usr/bin/java -jar " + agentJar + " refresh --state-dir "), cron);
        assertEquals(List.of(), schedules(other, config, false), "a second run changes nothing");
        Files.write(agentJar, new byte[] {1, 2, 3});
        assertEquals(List.of("write " + agentJar + " (root:root 0644, sha256 " + FileSync.sha256(jarBytes).substring(0, 12) + "…)"),
                schedules(other, config, false), "a jar that differs is written again");
    }

    @Test
    void onThisMachineTheSchedulesRunTheJavaRunningTheAgentAsAlways() throws IOException {
        Path base = dir.resolve("local");
        InstallConfig config = config(base.toString());
        List<String> first = schedules(new LocalHost(dir.resolve("run")), config, true);
        assertTrue(first.stream().noneMatch(line -> line.contains("jre")), first.toString());
        String cron = Files.readString(base.resolve("etc/cron.d/matrix-install-renew"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        assertTrue(cron.contains(" root " + java + " -jar " + base.resolve("usr/local/lib/matrix-install/matrix-install.jar")
                + " renew --state-dir "), cron);
        assertEquals(List.of(), schedules(new LocalHost(dir.resolve("run")), config, false));
    }

    @Test
    void aJavaVersionBannerGivesItsFeatureRelease() {
        assertEquals(java.util.OptionalInt.of(17), AgentOnHost.feature(new LocalHost(dir), Path.of("/usr/bin/java")));
        assertEquals(java.util.OptionalInt.empty(), AgentOnHost.feature(new LocalHost(dir), dir.resolve("no-java")));
    }
}
