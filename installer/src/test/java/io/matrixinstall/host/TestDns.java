package io.matrixinstall.host;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for a test (Debian's dnsmasq, from scripts/prepare-test-host.sh) on 127.0.0.1:PORT, authoritative
 * for .test and answering the records the test gives in dnsmasq's own option syntax ("srv-host=…", "host-record=…"),
 * and the {@link HostDns} that asks it instead of the host's resolv.conf (the product cannot be pointed elsewhere).
 */
public final class TestDns implements AutoCloseable {
    private final Process process;
    public final int port;

    public TestDns(int port, Path dir, List<String> records) throws IOException, InterruptedException {
        this.port = port;
        Path log = Files.createTempFile(dir, "dnsmasq", ".log");
        List<String> argv = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--local=/test/", "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port, "--user=root",
                "--log-facility=" + log));
        records.forEach(record -> argv.add("--" + record));
        process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
        for (int i = 0; i < 50 && !listening(); i++) {
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new IOException("dnsmasq exited " + process.exitValue() + ": " + Files.readString(dir.resolve("dnsmasq.out")));
            }
        }
    }

    /** dnsmasq's UDP port is taken once it listens. */
    private boolean listening() {
        try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public HostDns on(Host host) {
        return new HostDns(host, "127.0.0.1", port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
