package io.matrixinstall.ops.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostDns;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.HostHttp;
import io.matrixinstall.tls.CertificateFiles;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Where another homeserver sends federation requests for a server name: the server-server API's "Resolving server
 * names", in its order (an IP literal or an explicit port; /.well-known/matrix/server on https://NAME, whose m.server
 * follows the same rules but the well-known; the {@code _matrix-fed._tcp} SRV record, then the deprecated
 * {@code _matrix._tcp}; else NAME on 8448), with DNS and HTTPS asked through the host, as its own server would.
 */
final class ServerDiscovery {
    static final int DEFAULT_PORT = 8448;
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration READ = Duration.ofSeconds(10);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** NAME, [IPV6] or IPV4, with an optional :PORT. */
    private static final Pattern SERVER_NAME = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+)(?::(\\d{1,5}))?");

    /** One address and port to connect to. */
    record Endpoint(String address, int port) {
        @Override
        public String toString() {
            return address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
        }
    }

    /**
     * What discovery found: the endpoints to try in order, the name the certificate there must cover (the server name,
     * or the well-known's delegated host name: never an SRV target), the way it went, for the message, and whether it
     * is the last resort (NAME:8448: neither well-known nor SRV led anywhere).
     */
    record Destination(String certificateName, List<Endpoint> endpoints, String route, boolean fallback) {
        Destination(String certificateName, List<Endpoint> endpoints, String route) {
            this(certificateName, endpoints, route, false);
        }
    }

    /** A step that ends discovery: which, what happened, what to change. */
    static final class Failed extends RuntimeException {
        final String step;
        final String change;

        Failed(String step, String message, String change) {
            super(message);
            this.step = step;
            this.change = change;
        }
    }

    private final Host host;
    private final HostDns dns;
    private final Predicate<List<X509Certificate>> trusted;

    /** {@code trusted}: whether a chain leads to a root remote servers trust (a self-signed install accepts its own). */
    ServerDiscovery(Host host, HostDns dns, Predicate<List<X509Certificate>> trusted) {
        this.host = host;
        this.dns = dns;
        this.trusted = trusted;
    }

    Destination resolve(String serverName) {
        Matcher name = SERVER_NAME.matcher(serverName);
        if (!name.matches()) {
            throw new Failed("server name", "'" + serverName + "' is not a server name", "set server_name to a host name");
        }
        String hostname = name.group(1);
        if (literal(hostname)) {
            return literalDestination(hostname, name.group(2), "IP literal");
        }
        if (name.group(2) != null) {
            int port = Integer.parseInt(name.group(2));
            return new Destination(hostname, endpoints(hostname, port, "explicit port"), "explicit port");
        }
        List<String> tried = new ArrayList<>();
        String delegated = wellKnown(hostname, tried);
        if (delegated != null) {
            Matcher target = SERVER_NAME.matcher(delegated);
            if (!target.matches()) {
                throw new Failed("well-known", "https://" + hostname + "/.well-known/matrix/server names '" + delegated
                        + "', not a server name", "make m.server HOST or HOST:PORT");
            }
            String via = "well-known m.server " + delegated;
            if (literal(target.group(1))) {
                return literalDestination(target.group(1), target.group(2), via);
            }
            if (target.group(2) != null) {
                return new Destination(target.group(1), endpoints(target.group(1), Integer.parseInt(target.group(2)), via), via);
            }
            return srvOrDefault(target.group(1), via + ", ", tried);
        }
        return srvOrDefault(hostname, String.join("; ", tried) + "; ", tried);
    }

    /** The SRV records of {@code name} (_matrix-fed, then _matrix), or {@code name}:8448. */
    private Destination srvOrDefault(String name, String via, List<String> tried) {
        for (String prefix : List.of("_matrix-fed._tcp.", "_matrix._tcp.")) {
            List<HostDns.Srv> records = lookup(() -> dns.srv(prefix + name));
            if (records.isEmpty()) {
                continue;
            }
            String route = via + "SRV " + prefix + name + " " + records;
            if (records.size() == 1 && records.get(0).target().isEmpty()) {
                throw new Failed("srv", prefix + name + " says no service (target \".\")",
                        "remove that SRV record or point it at this server");
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (HostDns.Srv record : records) {
                lookup(() -> dns.addresses(record.target())).forEach(a -> endpoints.add(new Endpoint(a, record.port())));
            }
            if (endpoints.isEmpty()) {
                throw new Failed("srv", route + ": the target does not resolve on " + host.name() + "'s DNS",
                        "publish an A record for the SRV target");
            }
            return new Destination(name, endpoints, route);
        }
        String route = via + "no SRV _matrix-fed._tcp." + name + " or _matrix._tcp." + name + ", so " + name + ":" + DEFAULT_PORT;
        return new Destination(name, endpoints(name, DEFAULT_PORT, route), route, true);
    }

    /** m.server of https://NAME/.well-known/matrix/server, or null (saying why in {@code tried}): then SRV is next. */
    private String wellKnown(String name, List<String> tried) {
        String url = "https://" + name + "/.well-known/matrix/server";
        List<String> addresses = lookup(() -> dns.addresses(name));
        if (addresses.isEmpty()) {
            tried.add("no well-known (" + name + " does not resolve)");
            return null;
        }
        String problem = null;
        for (String address : addresses) {
            HostHttp.Response response;
            try {
                response = new HostHttp(host, address, 443, CONNECT, READ).get("https", name, "/.well-known/matrix/server");
            } catch (IOException | HostException e) {
                problem = address + ": " + why(e);
                continue;
            }
            problem = wellKnownProblem(name, response);
            if (problem == null) {
                return readServer(response.body());
            }
            break;
        }
        tried.add("no well-known (" + url + ": " + problem + ")");
        return null;
    }

    private String wellKnownProblem(String name, HostHttp.Response response) {
        if (response.chain().isEmpty() || !CertificateFiles.covers(response.chain().get(0), name)) {
            return "certificate not for " + name;
        }
        if (!trusted.test(response.chain())) {
            return "certificate not trusted";
        }
        if (response.status() != 200) {
            return "answers " + response.status() + (response.status() / 100 == 3 ? " (a redirect; not followed here)" : "");
        }
        return readServer(response.body()) == null ? "no m.server in JSON" : null;
    }

    private static String readServer(String body) {
        try {
            JsonNode server = new ObjectMapper().readTree(body).path("m.server");
            return server.isTextual() && !server.asText().isBlank() ? server.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private List<Endpoint> endpoints(String name, int port, String route) {
        List<String> addresses = lookup(() -> dns.addresses(name));
        if (addresses.isEmpty()) {
            throw new Failed("address", route + ": " + name + " has no A/AAAA record on " + host.name() + "'s DNS",
                    "publish an A (or AAAA) record for " + name);
        }
        return addresses.stream().map(a -> new Endpoint(a, port)).toList();
    }

    /** A connection's failure in a few words: refused, timed out, or the TLS handshake's complaint. */
    static String why(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Connection refused")) {
            return "connection refused";
        }
        if (message.contains("timed out")) {
            return "timed out (a firewall dropping it?)";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed (" + message + ")";
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : " " + message);
    }

    private static Destination literalDestination(String address, String port, String route) {
        String bare = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
        int number = port == null ? DEFAULT_PORT : Integer.parseInt(port);
        return new Destination(bare, List.of(new Endpoint(bare, number)), route);
    }

    private static boolean literal(String hostname) {
        return hostname.startsWith("[") || IPV4.matcher(hostname).matches();
    }

    private <T> T lookup(Supplier<T> query) {
        try {
            return query.get();
        } catch (HostException e) {
            throw new Failed("dns", e.getMessage(), "fix the nameservers in the host's /etc/resolv.conf");
        }
    }
}
