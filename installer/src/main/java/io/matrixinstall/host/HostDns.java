package io.matrixinstall.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DNS answers as the host's nameservers give them (its /etc/resolv.conf), asked on the host by the same perl script
 * whether it is this machine or a target over SSH: what a remote homeserver's DNS would say, not the host's
 * /etc/hosts (which {@link Host#resolve} includes, and no other server sees).
 */
public class HostDns {
    /** One SRV answer: where a service lives. */
    public record Srv(int priority, int weight, int port, String target) {
        @Override
        public String toString() {
            return target + ":" + port;
        }
    }

    private final Host host;
    private final String server;
    private final int port;

    public HostDns(Host host) {
        this(host, null, 0);
    }

    /** Asks {@code server:port} instead of resolv.conf's nameservers: the tests' own DNS only. */
    HostDns(Host host, String server, int port) {
        this.host = host;
        this.server = server;
        this.port = port;
    }

    /** The SRV records of {@code name}, lowest priority first, heavier weight first within one; empty when none. */
    public List<Srv> srv(String name) {
        List<Srv> records = new ArrayList<>();
        for (String line : ask("SRV", name)) {
            String[] f = line.split(" ", -1); // the root target "." prints as ""
            records.add(new Srv(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]));
        }
        records.sort(Comparator.comparingInt(Srv::priority).thenComparing(Comparator.comparingInt(Srv::weight).reversed()));
        return records;
    }

    /** The A then AAAA addresses of {@code name}; empty when it has none. */
    public List<String> addresses(String name) {
        // One run for both questions: one round trip to a remote host.
        return ask("A,AAAA", name).stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    /** The answer lines to {@code types} ("A,AAAA" asks both in one run). */
    private List<String> ask(String types, String name) {
        Command command = HostCommands.dnsQuery(types, name, server, port);
        ExecResult result = host.exec(command);
        if (result.exitCode() == 3) {
            return List.of();
        }
        if (!result.ok()) {
            throw new HostException("DNS " + types + " lookup of " + name + " on " + host.name() + " failed: "
                    + result.stderr().strip().lines().findFirst().orElse("exit " + result.exitCode()));
        }
        return result.stdout().lines().filter(line -> !line.isBlank()).toList();
    }
}
