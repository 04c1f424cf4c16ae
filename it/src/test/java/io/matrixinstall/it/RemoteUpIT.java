package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product on a second, separate machine: `up --host` against the harness's bare target host
 * (scripts/target-host.sh: Debian with only sshd, no Docker; apt through the harness's apt cache). Docker is
 * installed there by the agent from Debian's packages, the images are streamed from this machine's engine
 * (--push-images: the target reaches no registry), and the install is compared with a local one made with the
 * same settings on this machine's engine. The test sees the target only through SSH.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteUpIT {
    static final String PROJECT = "mi-target-it";
    static final int SYNAPSE_PORT = 21208;
    /** The seed's paths on the target; the local install mirrors them under {@code local}. */
    static final List<String> ROOTS = List.of("/data/matrix", "/root/nginx", "/data/nginx", "/etc/matrix-install",
            "/usr/local/lib/matrix-install", "/etc/cron.d/matrix-install-refresh");

    /**
     * The stand-ins under this test's own names, tagged when it starts: other tests move the shared engine's
     * `matrixdotorg/synapse:latest` (UpdateIT's releases), which --push-images would then rightly push again.
     */
    static final Map<String, String> IMAGES = Map.of("postgres", "postgres:15-alpine", "synapse", "matrixdotorg/synapse:latest",
            "element", "vectorim/element-web:latest");

    static String image(String key) {
        return PROJECT + "/" + key + ":it";
    }

    static TargetHost target;
    static Path tree;
    static Path local;
    static Agent localAgent;
    static Path knownHosts;

    /** Settings shared by the remote and the local install (the target's paths are the defaults). */
    static List<String> settings() {
        return List.of("--tls", "none", "--domain", "matrix.example.org", "--email", "admin@example.org",
                "--set", "compose.matrix_project=" + PROJECT, "--set", "compose.proxy_project=" + PROJECT + "-proxy",
                "--set", "ports.synapse=" + SYNAPSE_PORT, "--set", "ports.element=21280", "--timeout", "240",
                "--set", "images.postgres=" + image("postgres"), "--set", "images.synapse=" + image("synapse"),
                "--set", "images.element=" + image("element"));
    }

    /**
     * The agent against the target, as an operator with only the harness's key and the given known_hosts: no
     * ssh-agent, a HOME without ~/.ssh, this machine's engine as the source of --push-images.
     */
    static List<String> remote(String command, String user, Path identity, Path hosts, String... extra) {
        List<String> argv = new ArrayList<>(List.of("env", "-u", "SSH_AUTH_SOCK", "-u", "MATRIX_INSTALL_STATE_DIR",
                "HOME=" + tree.resolve("home"), "java", "-jar", Agent.JAR.toString(), command,
                "--host", user + "@" + target.address(), "--identity", identity.toString(), "--known-hosts", hosts.toString()));
        argv.addAll(settings());
        argv.addAll(List.of(extra));
        return argv;
    }

    static Map<String, String> engine() {
        Map<String, String> env = new HashMap<>();
        String docker = TestEngine.environment().get("DOCKER_HOST");
        if (docker != null) {
            env.put("DOCKER_HOST", docker);
        }
        return env;
    }

    static Run up(String user, String... extra) {
        return Run.of(remote("up", user, target.identity(), knownHosts, extra), engine(), 900);
    }

    /** The same install on this machine, with the target's paths under {@code local}. */
    static Run localUp(String... extra) {
        List<String> args = new ArrayList<>(List.of("up"));
        args.addAll(settings());
        args.addAll(List.of("--pull", "never", "--base-dir", local + "/data/matrix",
                "--set", "proxy_dir=" + local + "/root/nginx", "--set", "proxy_data_dir=" + local + "/data/nginx",
                "--set", "renewal.agent_dir=" + local + "/usr/local/lib/matrix-install",
                "--set", "renewal.cron_dir=" + local + "/etc/cron.d",
                "--set", "renewal.systemd_dir=" + local + "/etc/systemd/system"));
        args.addAll(List.of(extra));
        return localAgent.run(args);
    }

    @BeforeAll
    static void bareTarget() throws IOException {
        tree = Files.createTempDirectory("matrix-install-remote-it");
        local = tree.resolve("local");
        localAgent = Agent.at(PROJECT, local).state(local.resolve("etc/matrix-install"));
        Files.createDirectories(tree.resolve("home"));
        knownHosts = tree.resolve("known_hosts");
        Files.writeString(knownHosts, "");
        IMAGES.forEach((key, image) -> TestEngine.docker("tag", image, image(key)).assertOk());
        target = TargetHost.start();
    }

    @AfterAll
    static void tearDown() {
        TargetHost.stop();
        IMAGES.keySet().forEach(key -> TestEngine.docker("rmi", image(key)));
        if (tree != null) {
            localAgent.tearDown();
            Run.of(List.of("rm", "-rf", tree.toString()));
        }
    }

    /** Nothing of the product on the target: no files, no Docker, not even fresh package lists. */
    static void assertNothingWritten() {
        Run run = target.root("for p in /data/matrix /root/nginx /data/nginx /etc/matrix-install /usr/local/lib/matrix-install"
                + " /etc/docker /etc/cron.d/matrix-install-refresh; do [ ! -e $p ] || echo $p; done;"
                + " dpkg-query -W -f='${Status}\\n' docker.io 2>/dev/null | grep -q 'install ok' && echo docker.io;"
                + " ls /var/lib/apt/lists | grep -v -e '^partial$' -e '^lock$' | head -n 1");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("", run.stdout().strip(), "nothing may be written on the target");
    }

    static String oneLine(Run run) {
        List<String> lines = run.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one clear line: " + run);
        assertTrue(lines.get(0).startsWith("matrix-install: "), run.toString());
        return lines.get(0);
    }

    @Test
    @Order(1)
    void refusedConnectionsWriteNothing() throws Exception {
        // Unknown host key: refused, naming its fingerprint and the way to accept it; known_hosts untouched.
        Run unknown = up("root", "--push-images", "--docker-source", "distro");
        assertNotEquals(0, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.stderr().contains(target.fingerprint()), unknown.toString());
        assertTrue(unknown.stderr().contains("--accept-new-host-key"), unknown.toString());
        assertEquals("", Files.readString(knownHosts));

        // A changed host key: always refused, even with --accept-new-host-key.
        Path other = tree.resolve("other-host-key");
        Run.of(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())).assertOk();
        String otherKey = Files.readString(Path.of(other + ".pub")).trim().replaceAll("\\s+\\S+$", "");
        Path changed = tree.resolve("changed_known_hosts");
        Files.writeString(changed, target.address() + " " + otherKey + "\n");
        Run refused = Run.of(remote("up", "root", target.identity(), changed, "--accept-new-host-key"), engine(), 120);
        assertNotEquals(0, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains(target.fingerprint()), refused.toString());
        assertEquals(target.address() + " " + otherKey + "\n", Files.readString(changed));

        // A key the target does not know: one line.
        Path wrong = tree.resolve("wrong-key");
        Run.of(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrong.toString())).assertOk();
        Run denied = Run.of(remote("up", "root", wrong, target.knownHosts()), engine(), 120);
        assertNotEquals(0, denied.exitCode(), denied.toString());
        oneLine(denied);

        // A user whose sudo wants a password: one line naming sudo.
        Run asker = Run.of(remote("up", "asker", target.identity(), target.knownHosts()), engine(), 120);
        assertNotEquals(0, asker.exitCode(), asker.toString());
        assertTrue(oneLine(asker).contains("sudo"), asker.toString());

        assertNothingWritten();
    }

    @Test
    @Order(2)
    void aFreshInstallCutOffMidwayConvergesOnTheNextRun() throws Exception {
        // First contact accepts the target's key into the operator's (empty) known_hosts, installs Docker and pushes
        // the images; when the matrix stack starts, sshd goes away for a few seconds (every connection dropped).
        ProcessBuilder builder = new ProcessBuilder(remote("up", "root", target.identity(), knownHosts,
                "--push-images", "--docker-source", "distro", "--accept-new-host-key"));
        builder.environment().putAll(engine());
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        StringBuilder out = new StringBuilder();
        AtomicBoolean cut = new AtomicBoolean();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                out.append(line).append('\n');
                if (!cut.get() && line.contains("start matrix stack")) {
                    cut.set(true);
                    target.pauseSshd(5);
                }
            }
        }
        assertTrue(process.waitFor(900, TimeUnit.SECONDS), "the cut-off up did not end");
        Run first = new Run(process.exitValue(), out.toString(), err.get());
        assertTrue(cut.get(), "the install never reached the matrix stack: " + first);
        assertTrue(first.stdout().contains("docker.io"), "Docker is installed by the agent: " + first);
        assertNotEquals(0, first.exitCode(), first.toString());
        assertTrue(first.stderr().strip().lines().reduce((a, b) -> b).orElse("").startsWith("matrix-install: "), first.toString());
        assertEquals(target.address() + " " + target.hostKey(), Files.readString(knownHosts).strip(),
                "--accept-new-host-key adds the key");

        Run again = up("root", "--push-images", "--docker-source", "distro");
        again.assertOk();
        assertEquals(200, target.httpStatus(SYNAPSE_PORT, "/health"));
        Run engine = target.root("dpkg-query -W -f='${Status}' docker.io; echo; cat /etc/docker/daemon.json");
        assertEquals("install ok installed\n{}", engine.assertOk().stdout().strip());
        // The images on the target are this machine's (pushed, not pulled: the target reaches no registry).
        for (String image : IMAGES.keySet().stream().map(RemoteUpIT::image).toList()) {
            String here = TestEngine.docker("image", "inspect", "-f", "{{.Id}}", image).assertOk().stdout().strip();
            assertEquals(here, target.root("docker image inspect -f '{{.Id}}' " + image).assertOk().stdout().strip(), image);
        }
        String db = target.root("docker ps -q --filter label=com.docker.compose.project=" + PROJECT
                + " --filter label=com.docker.compose.service=db").assertOk().stdout().strip();
        assertEquals("1", target.root("docker exec " + db + " psql -U synapse -d synapse -tAc \"SELECT count(*) FROM"
                + " information_schema.tables WHERE table_name = 'users'\"").assertOk().stdout().strip());
        assertEquals("", target.root("ls -A /data/matrix/files /data/matrix | grep -e '\\.tmp' -e '~' || true").stdout().strip(),
                "no temp file left by the cut-off run");
    }

    @Test
    @Order(3)
    void aSecondRemoteUpChangesNothing() {
        String before = identities();
        Run run = up("root", "--push-images", "--docker-source", "distro", "--verbose");
        run.assertOk();
        assertEquals("no changes", run.stdout().lines().findFirst().orElse(""), run.toString());
        assertEquals(before, identities());
        // The facts are gathered once (docs/architecture-facts.md): the connection, then at most 4 round trips (the
        // lock, the snapshot with the Java's links followed and its release file, Synapse's /health, the history).
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("(\\d+) SSH round trips").matcher(run.stderr());
        assertTrue(count.find(), run.toString());
        assertTrue(Integer.parseInt(count.group(1)) - 1 <= 4, "a no-op remote up made " + count.group(1)
                + " round trips (the connection counts as one): " + run);
    }

    @Test
    @Order(4)
    void theRemoteInstallEqualsALocalOneAndPlansTheSame() {
        localUp().assertOk();
        // Paths, owners and modes of everything the agent wrote, the local tree's prefix taken off.
        List<String> here = new ArrayList<>();
        for (String root : ROOTS) {
            Run run = Run.sh("[ -e \"$1\" ] || exit 0; find \"$1\" -printf '%p %U %G %m %y\\n' | sort", local + root);
            run.assertOk();
            run.stdout().lines().filter(l -> !l.isBlank()).map(l -> l.substring(local.toString().length())).forEach(here::add);
        }
        assertTrue(here.stream().anyMatch(l -> l.startsWith("/data/matrix/files/homeserver.yaml 991 991 600 f")), here.toString());
        assertEquals(here, target.listing(ROOTS));

        // The same change planned remotely and locally.
        Run remotePlan = up("root", "--dry-run", "--element-brand", "Remote Club");
        Run localPlan = localUp("--dry-run", "--element-brand", "Remote Club");
        assertEquals(0, remotePlan.exitCode(), remotePlan.toString());
        assertEquals(0, localPlan.exitCode(), localPlan.toString());
        assertNotEquals("no changes", remotePlan.stdout().strip());
        // Line for line, but for the host the summary names.
        assertEquals(localPlan.stdout().replace(local.toString(), ""),
                remotePlan.stdout().replace(" on root@" + target.address() + ":22", " on localhost"));
    }

    @Test
    @Order(5)
    void aUserWithPasswordlessSudoWorks() {
        Run run = up("admin");
        run.assertOk();
        assertEquals("no changes", run.stdout().lines().findFirst().orElse(""), run.toString());
    }

    @Test
    @Order(6)
    void theScheduleOnTheTargetRunsTheAgentLeftThere() {
        String entry = target.root("cat /etc/cron.d/matrix-install-refresh").assertOk().stdout().lines()
                .filter(l -> l.contains(" refresh ")).findFirst().orElseThrow();
        String[] fields = entry.trim().split("\\s+", 7);
        assertEquals("root", fields[5], entry);
        assertTrue(fields[6].contains("/usr/local/lib/matrix-install/matrix-install.jar refresh"), entry);
        // The JRE it names is on the target, and the jar there is the one this test runs.
        String java = fields[6].trim().split("\\s+")[0];
        target.root("test -x " + java).assertOk();
        String jarHere = Run.of(List.of("sha256sum", Agent.JAR.toString())).assertOk().stdout().split(" ")[0];
        assertEquals(jarHere, target.root("sha256sum /usr/local/lib/matrix-install/matrix-install.jar").assertOk()
                .stdout().split(" ")[0]);
        // Run as cron would (the entry's PATH and SHELL, no terminal), its output kept for the test: the agent there
        // runs and records itself in the target's history. The target reaches no registry (that is why the images
        // were pushed), so the refresh may end with the pull refused; then it says so in one line and leaves the
        // install as it was.
        String path = target.root("sed -n 's/^PATH=//p' /etc/cron.d/matrix-install-refresh").assertOk().stdout().strip();
        String command = fields[6].replaceFirst("\\s*>\\s*/dev/null\\s+2>&1\\s*$", "");
        String before = identities();
        Run run = target.root("cd / && env -i PATH=" + path + " SHELL=/bin/sh HOME=/root LOGNAME=root /bin/sh -c '"
                + command.replace("'", "'\\''") + "'");
        if (run.exitCode() != 0) {
            oneLine(run);
        }
        String history = target.root("tail -n 1 /etc/matrix-install/history.jsonl").assertOk().stdout();
        assertTrue(history.contains("refresh"), history + "\n" + run);
        assertEquals(before, identities());
        assertEquals(200, target.httpStatus(SYNAPSE_PORT, "/health"));
    }

    /** "service id startedAt" of every container of the install on the target. */
    static String identities() {
        return target.root("docker ps -a -q --filter label=com.docker.compose.project=" + PROJECT
                + " | xargs -r docker inspect -f '{{index .Config.Labels \"com.docker.compose.service\"}} {{.Id}} {{.State.StartedAt}}'"
                + " | sort").assertOk().stdout();
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
