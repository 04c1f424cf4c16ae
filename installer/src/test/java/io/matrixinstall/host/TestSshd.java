package io.matrixinstall.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server for the tests, on 127.0.0.1 and a port the test class chose (freePort): its own host key, its own
 * authorized_keys and client key, all in {@code dir}; root logs in with the key. Its log (sshd -e) goes to
 * {@code dir/sshd.log}, so a test can see what it accepted.
 */
public final class TestSshd implements AutoCloseable {
    public final Path dir;
    public final int port;
    public final Path hostKey;
    public final Path clientKey;
    public final Path knownHosts;
    private Process process;

    /**
     * A port no one listens on now, chosen by the kernel: each test class's sshd gets its own, so test runs side by
     * side (two checkouts, a developer's and CI's) never meet at a fixed port and see each other's host key.
     */
    public static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestSshd(Path dir, int port) throws IOException, InterruptedException {
        this.dir = dir;
        this.port = port;
        this.hostKey = dir.resolve("ssh_host_ed25519_key");
        this.clientKey = dir.resolve("id_ed25519");
        this.knownHosts = dir.resolve("known_hosts");
        keygen(hostKey, "ed25519");
        keygen(clientKey, "ed25519");
        Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        Files.writeString(knownHosts, knownHostsLine(hostKey));
        start();
    }

    public static void keygen(Path key, String type) throws IOException, InterruptedException {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "mi-ssh-test", "-f", key.toString());
    }

    static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + said);
        }
    }

    /** "[127.0.0.1]:PORT ssh-ed25519 AAAA…", the known_hosts line for {@code key}'s public half. */
    public String knownHostsLine(Path key) throws IOException {
        String[] pub = Files.readString(Path.of(key + ".pub")).trim().split(" ");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
    }

    /** Replaces the host key (the host was "reinstalled") and restarts. */
    void newHostKey() throws IOException, InterruptedException {
        close();
        Files.delete(hostKey);
        Files.delete(Path.of(hostKey + ".pub"));
        keygen(hostKey, "ed25519");
        start();
    }

    void start() throws IOException, InterruptedException {
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory, fixed at build time
        Files.writeString(dir.resolve("sshd_config"), String.join("\n", List.of(
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "PidFile none",
                "MaxSessions 20",
                "LogLevel VERBOSE")) + "\n");
        process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString(),
                "-p", Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("sshd did not start: " + log(), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Kills the per-connection sshd processes (the listener stays): every client's connection drops at once. */
    void killSessions() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    public String log() throws IOException {
        Path log = dir.resolve("sshd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    SshTarget target() {
        return new SshTarget("root", "127.0.0.1", port);
    }

    SshSettings settings(Path runDir) {
        return new SshSettings(java.util.Optional.of(clientKey), knownHosts, false, runDir);
    }

    SshHost connect(Path runDir) {
        return SshHost.connect(target(), settings(runDir), line -> {});
    }

    /** A root login to this sshd, for tests of other packages that run a plan over SSH. */
    public SshHost connectAsRoot(Path runDir) {
        return connect(runDir);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }
}
