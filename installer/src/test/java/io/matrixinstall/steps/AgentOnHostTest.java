package io.matrixinstall.steps;

import io.matrixinstall.component.Schedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.render.TemplateRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
        return schedules(host, config, apply, ProcessHandle.current().info().command().map(Path::of));
    }

    /** The same, with {@code java} standing for the Java that runs the agent. */
    private List<String> schedules(Host host, InstallConfig config, boolean apply, Optional<Path> java) {
        StateDir state = new StateDir(dir.resolve("state"));
        AgentOnHost agent = new AgentOnHost(state, () -> Optional.of(jar), () -> java, new TemplateRenderer());
        ChangeGate gate = apply ? ChangeGate.applying(line -> {}) : ChangeGate.recording(line -> {});
        PlanContext context = new PlanContext(config, host, gate, RunOptions.defaults(), line -> {}, DockerEngine::connect);
        new ScheduleStep(Schedule.RENEWAL, new TemplateRenderer(), state, agent).run(context);
        new ScheduleStep(Schedule.REFRESH, new TemplateRenderer(), state, agent).run(context);
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

    @Test
    void theFeatureReleaseComesFromTheRuntimesReleaseFileAndFromJavaVersionOnlyWithoutAUsableOne() throws IOException {
        Path java = dir.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"21.0.1\" 2023-10-17' >&2\n");
        chmod(java, "rwxr-xr-x");
        Path link = Files.createSymbolicLink(dir.resolve("java"), Path.of("jdk/bin/java"));
        assertEquals(OptionalInt.of(21), AgentOnHost.feature(new LocalHost(dir), link), "no release file: the banner");
        Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"17.0.15\"\n");
        assertEquals(OptionalInt.of(17), AgentOnHost.feature(new LocalHost(dir), link), "the release file, not a JVM start");
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"next\"\n");
        assertEquals(OptionalInt.of(21), AgentOnHost.feature(new LocalHost(dir), link), "unparsable: the banner");
        Files.delete(dir.resolve("jdk/release"));
        Files.createSymbolicLink(dir.resolve("jdk/release"), Files.writeString(dir.resolve("other-release"), "JAVA_VERSION=\"11\"\n"));
        assertEquals(OptionalInt.of(21), AgentOnHost.feature(new LocalHost(dir), link), "a linked release is not followed");
    }

    /** A Java binary (a plain file: the agent never runs it here) under {@code home}, root-owned 0755 all the way. */
    private Path javaUnder(Path home) throws IOException {
        Path java = home.resolve("jdk-17/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private static void chown(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /** Runs both schedules on this machine with {@code java}: the one-line refusal, and nothing written under base. */
    private String refusal(Path java) {
        Path base = dir.resolve("local");
        String message = assertThrows(PreconditionException.class, () -> schedules(new LocalHost(dir.resolve("run")),
                config(base.toString()), true, Optional.of(java))).getMessage();
        assertFalse(Files.exists(base), "nothing may be written before the refusal: " + base);
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void aJavaInADirectoryAnotherUserOwnsIsRefusedBeforeAnythingIsWritten() throws IOException {
        // `sudo ~/.sdkman/.../bin/java -jar ...`: the home directory is the user's, who could swap the binary root runs.
        Path home = dir.resolve("home/alice");
        Path java = javaUnder(home);
        chown(home, 65534);
        String message = refusal(java);
        assertTrue(message.contains(home + " is owned by uid 65534"), message);
        assertTrue(message.contains(java.toString()) && message.contains("/usr/bin/java"), message);
    }

    @Test
    void aJavaBelowAGroupOrWorldWritableDirectoryIsRefused() throws IOException {
        Path opt = dir.resolve("opt");
        Path java = javaUnder(opt);
        chmod(opt, "rwxrwxrwx"); // world-writable without the sticky bit: anyone may rename jdk-17 away
        assertTrue(refusal(java).contains(opt + " is writable by group or others (0777)"), opt.toString());
        chmod(opt, "rwxrwxr-x");
        assertTrue(refusal(java).contains(opt + " is writable by group or others (0775)"), opt.toString());
        chmod(opt, "rwxr-xr-x");
        chmod(java, "rwxrwxr-x");
        assertTrue(refusal(java).contains(java + " is writable by group or others (0775)"), java.toString());
    }

    @Test
    void theSymbolicLinksOfAJavaAreFollowedAndTheirTargetsCheckedToo() throws IOException {
        // /usr/bin/java -> /etc/alternatives/java -> the JRE: here bin/java -> alternatives/java -> jre/bin/java.
        Path jre = dir.resolve("jre");
        Path real = javaUnder(jre);
        Files.createDirectories(dir.resolve("alternatives"));
        Files.createSymbolicLink(dir.resolve("alternatives/java"), real);
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.createSymbolicLink(dir.resolve("bin/java"), Path.of("../alternatives/java"));
        chown(jre.resolve("jdk-17"), 1000);
        assertTrue(refusal(java).contains(jre.resolve("jdk-17") + " is owned by uid 1000"), java.toString());
        chown(jre.resolve("jdk-17"), 0);
        Path base = dir.resolve("local");
        schedules(new LocalHost(dir.resolve("run")), config(base.toString()), true, Optional.of(java));
        String cron = readString(base.resolve("etc/cron.d/matrix-install-renew"));
        assertTrue(cron.contains(" root " + java + " -jar "), cron); // the path as given: an update of the JRE keeps working
    }

    @Test
    void schedulesQuoteEveryPathTheyRun() {
        InstallConfig config = config("");
        StateDir state = new StateDir(Path.of("/var/lib/matrix install/state $HOME"));
        String java = "/opt/My JRE \"17\"\\/bin/java";
        Map<String, Object> model = AgentSchedule.model(config, state, java, Map.of("minute", 7, "hour", 2));
        TemplateRenderer renderer = new TemplateRenderer();
        String cron = new String(renderer.render("host/matrix-install-refresh.cron.ftl", model), StandardCharsets.UTF_8);
        String line = cron.lines().filter(l -> l.startsWith("7 2 ")).findFirst().orElseThrow();
        // cron hands the command to /bin/sh: each path one single-quoted word.
        assertEquals("7 2 * * * root '/opt/My JRE \"17\"\\/bin/java' -jar /usr/local/lib/matrix-install/matrix-install.jar"
                + " refresh --state-dir '/var/lib/matrix install/state $HOME' >/dev/null 2>&1", line);
        String unit = new String(renderer.render("host/matrix-install-renew.service.ftl", model), StandardCharsets.UTF_8);
        String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        // systemd: double quotes with C escapes for " and \, $$ for a literal $ (no variable expansion).
        assertEquals("ExecStart=\"/opt/My JRE \\\"17\\\"\\\\/bin/java\" -jar /usr/local/lib/matrix-install/matrix-install.jar"
                + " renew --state-dir \"/var/lib/matrix install/state $$HOME\"", exec);
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
