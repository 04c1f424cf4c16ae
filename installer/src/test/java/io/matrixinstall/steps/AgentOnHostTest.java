package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.Commands;
import io.matrixinstall.component.Schedule;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.Fifo;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.host.SshdExtension;
import io.matrixinstall.host.TestSshd;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.render.TemplateRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent the schedules run: its jar written through the host only when the host's copy hashes differently,
 * and the Java to run it: this JVM on this machine, the distribution's java (installed by provisioning/jre.yaml
 * when missing) on another host.
 */
class AgentOnHostTest {
    private static final String DEBIAN = "Debian GNU/Linux 12 (bookworm)";

    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(TestSshd.freePort());

    private final List<Host> opened = new ArrayList<>();

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

    /**
     * Another host, seen through a ForwardingHost that lists the commands run: this machine's, or over SSH. (The
     * hostile cases run forwarded only: each run over the test sshd takes seconds, and the host contract tests show
     * that both hosts answer the quick check's command alike, FIFO, link and ctime included.)
     */
    private ForwardingHost other(String kind) {
        ForwardingHost host = new ForwardingHost(kind.equals("ssh") ? SSHD.sshd().connectAsRoot(dir.resolve("run-ssh"))
                : new LocalHost(dir.resolve("run")));
        opened.add(host);
        return host;
    }

    @AfterEach
    void closeHosts() {
        opened.forEach(Host::close);
    }

    /** The agent and its schedules set up on {@code host} with {@code config}; the copy of its jar there. */
    private Path installed(Host host, InstallConfig config) {
        schedules(host, config, true);
        return Schedule.agentJar(config);
    }

    private static String jarWrite(Path copy, byte[] bytes) {
        return "write " + copy + " (root:root 0644, sha256 " + FileSync.sha256(bytes).substring(0, 12) + "…)";
    }

    private static String recordWrite(Path copy) {
        return "write " + copy + ".record (root:root 0644, the SHA-256 and stat of " + copy + ")";
    }

    private static boolean hashedOnHost(ForwardingHost host, Path copy) {
        return host.executed.contains(Commands.copySha256(copy).argv());
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + said);
    }

    /** The SHA-256 the record beside {@code copy} vouches for, as a run reads it. */
    private static Optional<String> vouched(Host host, Path copy) {
        return JarRecord.facts(host, copy, Path.of(copy + ".record")).vouchedSha256();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forwarded", "ssh"})
    void theCopyIsRecordedAndANoOpRunHashesNothingOnTheHost(String kind) throws IOException {
        InstallConfig config = config(dir.resolve("other").toString());
        ForwardingHost host = other(kind);
        Path copy = installed(host, config);
        Path record = Path.of(copy + ".record");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(record, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(0, Files.getAttribute(record, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(Optional.of(FileSync.sha256(jarBytes)), vouched(host, copy));
        host.executed.clear();
        assertEquals(List.of(), schedules(host, config, false));
        assertFalse(hashedOnHost(host, copy), "the copy hashed on the host: " + host.executed);
        assertTrue(host.executed.contains(Commands.jarCopyIdentity(copy, record).argv()), host.executed.toString());
    }

    /** {@code file}'s first byte made {@code first} in place (same inode and size), its mtime put back. */
    private static void changeFirstByteInPlace(Path file, byte first) throws Exception {
        Instant mtime = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        Thread.sleep(20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(new byte[] {first}), 0);
        }
        run("touch", "-m", "-d", "@" + mtime.getEpochSecond() + "." + String.format("%09d", mtime.getNano()), file.toString());
    }

    /** On this machine the record names the running jar: a no-op run reads neither jar (it used to cmp 60 MB). */
    @Test
    void onThisMachineANoOpRunReadsNeitherJar() throws IOException {
        InstallConfig config = config(dir.resolve("here").toString());
        ForwardingHost host = new ForwardingHost(new LocalHost(dir.resolve("run")), true);
        Path copy = installed(host, config);
        assertArrayEquals(jarBytes, Files.readAllBytes(copy));
        assertTrue(Files.readString(Path.of(copy + ".record")).contains("\nsource " + OwnJar.sourceIdentity(jar).orElseThrow() + "\n"));
        host.executed.clear();
        assertEquals(List.of(), schedules(host, config, false));
        assertFalse(host.executed.contains(Commands.sameBytes(jar, copy).argv()), "compared: " + host.executed);
    }

    /**
     * Careless: the running jar replaced in place by another build of the same size, its mtime put back: its ctime
     * tells, cmp decides, and the copy is written again; a jar of the same bytes under a new inode is compared once and
     * only its record written again.
     */
    @Test
    void onThisMachineARunningJarChangedInPlaceIsComparedAndWrittenAgain() throws Exception {
        InstallConfig config = config(dir.resolve("here").toString());
        ForwardingHost host = new ForwardingHost(new LocalHost(dir.resolve("run")), true);
        Path copy = installed(host, config);
        byte[] other = jarBytes.clone();
        other[0] = (byte) ~other[0];
        changeFirstByteInPlace(jar, other[0]);
        assertEquals(List.of(jarWrite(copy, other)), schedules(host, config, false));
        schedules(host, config, true);
        assertArrayEquals(other, Files.readAllBytes(copy));
        Path moved = jar.resolveSibling("next.jar");
        Files.write(moved, other);
        Files.move(moved, jar, StandardCopyOption.REPLACE_EXISTING);
        host.executed.clear();
        assertEquals(List.of(recordWrite(copy)), schedules(host, config, false));
        assertTrue(host.executed.contains(Commands.sameBytes(jar, copy).argv()), host.executed.toString());
        schedules(host, config, true);
        host.executed.clear();
        assertEquals(List.of(), schedules(host, config, false));
        assertFalse(host.executed.contains(Commands.sameBytes(jar, copy).argv()), "compared: " + host.executed);
    }

    /**
     * Hostile: the copy changed in place after its record was written, with its size and inode kept and its mtime put
     * back with {@code touch -d}: only the ctime tells, and it does.
     */
    @Test
    void aCopyChangedWithItsMtimePutBackIsFoundByItsCtimeAndWrittenAgain() throws Exception {
        InstallConfig config = config(dir.resolve("other").toString());
        Host host = other("forwarded");
        Path copy = installed(host, config);
        Object inode = Files.getAttribute(copy, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Instant mtime = Files.getLastModifiedTime(copy, LinkOption.NOFOLLOW_LINKS).toInstant();
        changeFirstByteInPlace(copy, (byte) ~jarBytes[0]);
        assertEquals(inode, Files.getAttribute(copy, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        assertEquals(mtime, Files.getLastModifiedTime(copy, LinkOption.NOFOLLOW_LINKS).toInstant());
        assertEquals(jarBytes.length, Files.size(copy));
        assertEquals(List.of(jarWrite(copy, jarBytes)), schedules(host, config, false));
        schedules(host, config, true);
        assertArrayEquals(jarBytes, Files.readAllBytes(copy));
        assertEquals(List.of(), schedules(host, config, false));
    }

    /**
     * Hostile: a record forged for a copy that is not the agent's (the running jar's SHA-256 and the copy's exact
     * identity) is believed only as root leaves it: not as a link to such a file, a FIFO, nobody's file, or a group or
     * world writable one. Each time the copy is written again and the record replaced. (Root's own is believed: only
     * root can write in the agent's directory, which the guard checks.)
     */
    @Test
    void aForgedRecordIsBelievedOnlyAsRootLeavesIt() throws Exception {
        InstallConfig config = config(dir.resolve("other").toString());
        Host host = other("forwarded");
        Path copy = installed(host, config);
        Path record = Path.of(copy + ".record");
        Path forgedFile = dir.resolve("forged.record");
        for (String planted : List.of("link", "fifo", "nobody's", "group writable", "world writable", "root's")) {
            Files.write(copy, "PK not the agent".getBytes(StandardCharsets.UTF_8));
            JarRecord.Stat identity = JarRecord.facts(host, copy, record).copy().orElseThrow();
            byte[] forged = JarRecord.text(FileSync.sha256(jarBytes), identity);
            Files.delete(record);
            switch (planted) {
                case "link" -> {
                    Files.write(forgedFile, forged);
                    Files.createSymbolicLink(record, forgedFile);
                }
                case "fifo" -> Fifo.plant(record, 0).close();
                case "nobody's" -> {
                    Files.write(record, forged);
                    chown(record, 65534);
                }
                case "group writable" -> chmod(Files.write(record, forged), "rw-rw-r--");
                case "world writable" -> chmod(Files.write(record, forged), "rw-r--rw-");
                default -> chmod(Files.write(record, forged), "rw-r--r--");
            }
            List<String> dryRun = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> schedules(host, config, false));
            if (planted.equals("root's")) {
                assertEquals(List.of(), dryRun, "the forgery is exact: root's own record is believed");
                continue;
            }
            assertEquals(List.of(jarWrite(copy, jarBytes)), dryRun, planted);
            schedules(host, config, true);
            assertArrayEquals(jarBytes, Files.readAllBytes(copy), planted);
            assertTrue(Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS), planted);
            assertEquals(0, Files.getAttribute(record, "unix:uid", LinkOption.NOFOLLOW_LINKS), planted);
            assertEquals(Optional.of(FileSync.sha256(jarBytes)), vouched(host, copy), planted);
            assertEquals(List.of(), schedules(host, config, false), planted);
        }
    }

    /**
     * A run killed between writing the copy and writing its record leaves the record of the copy before: the next
     * run finds it stale, hashes the copy on the host, keeps it (it holds the running jar) and writes the record.
     */
    @Test
    void aRunKilledBetweenTheCopyAndItsRecordConvergesOnTheNext() throws IOException {
        InstallConfig config = config(dir.resolve("other").toString());
        ForwardingHost host = other("forwarded");
        Path copy = installed(host, config);
        byte[] next = new byte[jarBytes.length];
        new Random(8).nextBytes(next);
        Files.write(jar, next);
        host.writeAtomically(copy, next, Ownership.ROOT, 0644); // the copy written, then killed
        assertEquals(List.of(recordWrite(copy)), schedules(host, config, false));
        assertTrue(hashedOnHost(host, copy), "a stale record: the copy is hashed on the host");
        assertEquals(List.of(recordWrite(copy)), schedules(host, config, true));
        assertEquals(Optional.of(FileSync.sha256(next)), vouched(host, copy));
        host.executed.clear();
        assertEquals(List.of(), schedules(host, config, false));
        assertFalse(hashedOnHost(host, copy), host.executed.toString());
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
