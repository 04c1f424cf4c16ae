package io.matrixinstall.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where an SSH host is: {@code [USER@]HOST[:PORT]}, HOST a name, an IPv4 address or a bracketed IPv6 one. */
public record SshTarget(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile(
            "(?:([a-z_][a-z0-9_.-]{0,31})@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::([0-9]{1,5}))?");

    public SshTarget {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535 (got " + port + ")");
        }
    }

    /** Parses the --host value; the user defaults to root (the agent needs root there), the port to 22. */
    public static SshTarget parse(String value) {
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected [USER@]HOST[:PORT], e.g. root@203.0.113.5 or admin@matrix.example.org:2222"
                    + " (got '" + value + "')");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        return new SshTarget(m.group(1) == null ? "root" : m.group(1), host, port);
    }

    public boolean root() {
        return user.equals("root");
    }

    /** "root@203.0.113.5:22", as messages name it. */
    @Override
    public String toString() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
