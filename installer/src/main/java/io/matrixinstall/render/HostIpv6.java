package io.matrixinstall.render;

import io.matrixinstall.host.Host;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Whether nginx (host network) can bind IPv6 sockets here. nginx refuses to start when one listen fails,
 * and a host booted without IPv6 (or with it disabled on lo) has no [::] / [::1] to bind, so IPv6
 * listeners are rendered only when the kernel lists the IPv6 loopback address.
 */
public final class HostIpv6 {
    public static final Path IF_INET6 = Path.of("/proc/net/if_inet6");
    private static final String LOOPBACK = "00000000000000000000000000000001";

    private HostIpv6() {}

    public static boolean available(Host host) {
        return host.read(IF_INET6)
                .map(bytes -> new String(bytes, StandardCharsets.US_ASCII).lines()
                        .anyMatch(line -> line.startsWith(LOOPBACK + " ")))
                .orElse(false);
    }
}
