package io.matrixinstall.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * tls.mode external: the address (or CIDR range) of the operator's TLS-terminating proxy. nginx believes
 * X-Forwarded-For/-Proto only from there; when it is a loopback address nginx listens on loopback only.
 *
 * @param cidr     normalised address or address/prefix, as nginx's set_real_ip_from and geo take it
 * @param loopback whether the whole range is loopback (127.0.0.0/8 or ::1)
 */
public record TrustedProxy(String cidr, boolean loopback) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    // No zone (%eth0): nginx's address ranges take none.
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    static TrustedProxy parse(String key, String value) {
        String text = value.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = literal(key, value, address);
        int bits = parsed instanceof Inet6Address ? 128 : 32;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > bits) {
                throw new ConfigException(key, "prefix length must be 0-" + bits + " (got '" + value + "')");
            }
            prefix = Integer.parseInt(digits);
        }
        String normal = parsed.getHostAddress(); // IPv6 uncompressed: nginx reads that form too
        boolean loopback = parsed.isLoopbackAddress() && (bits == 32 ? prefix >= 8 : prefix == 128);
        return new TrustedProxy(prefix == bits ? normal : normal + "/" + prefix, loopback);
    }

    /** Only address literals: a host name would need DNS now and could point elsewhere later. */
    private static InetAddress literal(String key, String value, String address) {
        java.util.regex.Matcher v4 = IPV4.matcher(address);
        boolean ok = v4.matches() ? java.util.stream.IntStream.rangeClosed(1, 4).allMatch(i -> Integer.parseInt(v4.group(i)) <= 255)
                : IPV6.matcher(address).matches();
        if (ok) {
            try {
                return InetAddress.getByName(address); // a literal: no lookup
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw new ConfigException(key, "not an IP address or CIDR range (got '" + value + "')");
    }
}
