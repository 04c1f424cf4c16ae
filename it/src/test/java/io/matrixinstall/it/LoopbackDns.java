package io.matrixinstall.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server for a test's names (Debian's dnsmasq, on 127.0.25.53:53, authoritative for the zones named) and the
 * way to run a program that resolves through it: in a mount namespace of its own whose /etc/resolv.conf names that
 * server, so the agent asks "the host's resolver" exactly as on a server, with no option to point it elsewhere.
 */
final class LoopbackDns implements AutoCloseable {
    static final String ADDRESS = "127.0.25.53";

    private final Process process;
    private final Path resolvConf;

    /** {@code records} in dnsmasq's option syntax without the dashes: "host-record=NAME,ADDRESS", "srv-host=…". */
    LoopbackDns(Path dir, List<String> zones, List<String> records) throws IOException, InterruptedException {
        resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver " + ADDRESS + "\n");
        Path log = dir.resolve("dnsmasq.log");
        List<String> argv = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--listen-address=" + ADDRESS, "--bind-interfaces", "--port=53", "--user=root", "--log-queries",
                "--log-facility=" + log));
        zones.forEach(zone -> argv.add("--local=/" + zone + "/"));
        records.forEach(record -> argv.add("--" + record));
        process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
        for (int i = 0; i < 50 && !(Files.exists(log) && Files.readString(log).contains("cleared cache")); i++) {
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("dnsmasq exited " + process.exitValue() + ": " + Files.readString(dir.resolve("dnsmasq.out")));
            }
        }
    }

    /** {@code argv} run where /etc/resolv.conf names this server (a private bind mount: nothing else sees it). */
    List<String> resolving(List<String> argv) {
        return PrivateMounts.over(Map.of(Path.of("/etc/resolv.conf"), resolvConf), argv);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
