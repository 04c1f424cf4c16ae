package io.matrixinstall.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test domains as a server's own resolver knows them, for an agent under test: public DNS cannot exist here, so it
 * runs (in {@link PrivateMounts}) where /etc/hosts is the machine's own localhost and hostname lines plus
 * it/src/test/resources/hosts, and /etc/resolv.conf names a server that is not there. Every lookup of the agent,
 * getent's and its JVM's (acme4j, HTTP clients), reads them: the product is given no option for it.
 */
final class TestDomains {
    /** The test domains' entries; the test JVM itself reads the same file (failsafe's -Djdk.net.hosts.file). */
    static final Path HOSTS = Path.of(System.getProperty("matrixinstall.repo", "..") + "/it/src/test/resources/hosts");
    /**
     * No DNS server listens on this loopback address: a query is refused at once (ICMP port unreachable, which glibc
     * takes as that server failing), so a name outside the hosts file fails in milliseconds and never reaches public
     * DNS. attempts/timeout bound the wait should something ever answer there slowly.
     */
    static final String NO_SERVER = "127.0.24.53";

    private TestDomains() {}

    /** {@code argv} run with {@code dir}/hosts and {@code dir}/resolv.conf (written on first use) as the machine's. */
    static synchronized List<String> resolving(Path dir, List<String> argv) {
        Path hosts = dir.resolve("hosts");
        Path resolvConf = dir.resolve("resolv.conf");
        try {
            // Written once: a running agent reads the bound files, so they are never rewritten under it.
            if (!Files.exists(resolvConf)) {
                Files.createDirectories(dir);
                Files.writeString(hosts, machineLines() + Files.readString(HOSTS));
                Files.writeString(resolvConf, "# matrix-install ITs: no server answers here, see TestDomains\nnameserver "
                        + NO_SERVER + "\noptions attempts:1 timeout:1\n");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot write the test's resolver files in " + dir, e);
        }
        Map<Path, Path> mounts = new LinkedHashMap<>();
        mounts.put(Path.of("/etc/hosts"), hosts);
        mounts.put(Path.of("/etc/resolv.conf"), resolvConf);
        return PrivateMounts.over(mounts, argv);
    }

    /** The machine's /etc/hosts lines that name localhost (any form) or its hostname: what every server has. */
    private static String machineLines() throws IOException {
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
            List<String> names = Arrays.stream(line.replaceAll("#.*", "").strip().split("\\s+")).skip(1).toList();
            if (names.stream().anyMatch(name -> name.contains("localhost") || name.equals(hostname))) {
                kept.add(line);
            }
        }
        return String.join("\n", kept) + "\n";
    }
}
