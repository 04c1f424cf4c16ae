package io.matrixinstall.it.tls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for nginx's port-80 server block: serves {@code /.well-known/acme-challenge/<token>} from a
 * webroot, on 127.0.0.1 only. Hosts marked {@link #refuse refused} get 404 for everything, like a
 * domain whose DNS points at a server that is not ours; {@link #stall stalled} hosts never answer.
 */
final class WebrootHttpServer implements AutoCloseable {
    private static final String PREFIX = "/.well-known/acme-challenge/";

    private final Path webroot;
    private final HttpServer server;
    private final Set<String> refusedHosts = ConcurrentHashMap.newKeySet();
    private final Set<String> stalledHosts = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webroot-http");
        thread.setDaemon(true);
        return thread;
    });

    WebrootHttpServer(Path webroot) throws IOException {
        this.webroot = webroot;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(threads); // a stalled request must not hold up the others
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void refuse(String host) {
        refusedHosts.add(host);
    }

    void stall(String host) {
        stalledHosts.add(host);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).replaceFirst(":\\d+$", "")
                    .toLowerCase(Locale.ROOT);
            if (stalledHosts.contains(host)) {
                stallUntilClosed();
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String token = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
            Path file = webroot.resolve(".well-known/acme-challenge").resolve(token);
            if (refusedHosts.contains(host) || !token.matches("[A-Za-z0-9_-]+") || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void stallUntilClosed() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
