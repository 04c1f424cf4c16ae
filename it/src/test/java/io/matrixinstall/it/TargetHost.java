package io.matrixinstall.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare target host of the remote-install tests (scripts/target-host.sh): a fresh Debian machine with only
 * sshd, reachable over SSH at 10.77.0.2. The test itself looks at it only through SSH, as an operator would,
 * with the operator key and known_hosts the harness made.
 */
final class TargetHost {
    static final Path REPO = Path.of(System.getProperty("matrixinstall.repo", ".."));
    static final Path SCRIPT = REPO.resolve("scripts/target-host.sh");
    static final Path ENV_FILE = Path.of("/run/matrix-install-it/target/env");

    final Map<String, String> env;

    private TargetHost(Map<String, String> env) {
        this.env = env;
    }

    /** A fresh copy of the pristine target, booted (any previous one is stopped and thrown away). */
    static TargetHost start() {
        return start(List.of(), ENV_FILE);
    }

    /** A named target (scripts/target-host.sh start NAME): its own address, resolving through scripts/harness-dns.sh. */
    static TargetHost start(String name) {
        Path envFile = Path.of(Run.of(List.of(SCRIPT.toString(), "env", name), Map.of(), 30).assertOk().stdout().strip());
        return start(List.of(name), envFile);
    }

    private static TargetHost start(List<String> name, Path envFile) {
        List<String> argv = new ArrayList<>(List.of(SCRIPT.toString(), "start"));
        argv.addAll(name);
        Run run = Run.of(argv, Map.of(), 180);
        if (run.exitCode() != 0) {
            throw new AssertionError("the target host did not start (scripts/prepare-target-host.sh run?)\n" + run);
        }
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(envFile)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^'|'$", ""));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + envFile, e);
        }
        return new TargetHost(Map.copyOf(env));
    }

    static void stop() {
        Run.of(List.of(SCRIPT.toString(), "stop"), Map.of(), 120);
    }

    static void stop(String name) {
        Run.of(List.of(SCRIPT.toString(), "stop", name), Map.of(), 120);
    }

    String address() {
        return env.get("TARGET_ADDRESS");
    }

    Path identity() {
        return Path.of(env.get("TARGET_IDENTITY"));
    }

    Path knownHosts() {
        return Path.of(env.get("TARGET_KNOWN_HOSTS"));
    }

    /** "ssh-ed25519 AAAA…" of the target's sshd. */
    String hostKey() {
        return env.get("TARGET_HOST_KEY");
    }

    String fingerprint() {
        return env.get("TARGET_HOST_KEY_FINGERPRINT");
    }

    /** A shell command on the target as {@code user}, through the system's ssh client. */
    Run ssh(String user, String command) {
        return Run.of(List.of("ssh", "-q", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts(),
                "-i", identity().toString(), user + "@" + address(), command), Map.of(), 300);
    }

    Run root(String command) {
        return ssh("root", command);
    }

    /** Drops every SSH connection and refuses new ones for {@code seconds} (sshd killed, then started again). */
    void pauseSshd(int seconds) {
        Run.of(List.of(SCRIPT.toString(), "sshd-pause", Integer.toString(seconds)), Map.of(), seconds + 60).assertOk();
    }

    /**
     * HTTP GET of {@code path} on the target's own loopback port, answered by bash on the target (it has no
     * curl): the status code, or -1 when nothing answers.
     */
    int httpStatus(int port, String path) {
        Run run = root("exec 3<>/dev/tcp/127.0.0.1/" + port + " || exit 0; printf 'GET " + path
                + " HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3; head -n 1 <&3");
        String[] words = run.stdout().strip().split(" ");
        return words.length > 1 && words[1].matches("\\d{3}") ? Integer.parseInt(words[1]) : -1;
    }

    /** Every entry under the given roots on the target: "path uid gid mode type", one per line, sorted. */
    List<String> listing(List<String> roots) {
        List<String> all = new ArrayList<>();
        for (String root : roots) {
            Run run = root("[ -e '" + root + "' ] || exit 0; find '" + root + "' -printf '%p %U %G %m %y\\n' | sort");
            run.assertOk();
            run.stdout().lines().filter(l -> !l.isBlank()).forEach(all::add);
        }
        return all;
    }
}
