package io.matrixinstall.host;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A second JVM for LocalHostResolveTest: prints, for {@code args[1]}, what its own JVM and a LocalHost resolve. */
public final class ResolveProbe {
    private ResolveProbe() {}

    public static void main(String[] args) {
        List<String> jvm;
        try {
            jvm = Arrays.stream(InetAddress.getAllByName(args[1])).map(InetAddress::getHostAddress).toList();
        } catch (UnknownHostException e) {
            jvm = List.of();
        }
        System.out.println("jvm " + jvm);
        try (LocalHost host = new LocalHost(Path.of(args[0]))) {
            System.out.println("host " + host.resolve(args[1]));
        }
    }
}
