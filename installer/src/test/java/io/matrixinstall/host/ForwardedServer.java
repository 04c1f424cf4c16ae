package io.matrixinstall.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What listens behind a {@link RecordingHost} forward: a server on 127.0.0.1:port that answers every request 200 with
 * the body its {@link Answer} gives (which may note the request and set headers). Close it after each test.
 */
public final class ForwardedServer implements AutoCloseable {
    /** The body for one request. */
    public interface Answer {
        byte[] body(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;

    private ForwardedServer(HttpServer server, Answer answer) {
        this.server = server;
        server.createContext("/", exchange -> {
            byte[] body = answer.body(exchange);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Plain HTTP, or HTTPS with {@code tls}. */
    public static ForwardedServer start(int port, Optional<SSLContext> tls, Answer answer) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        if (tls.isEmpty()) {
            return new ForwardedServer(HttpServer.create(address, 0), answer);
        }
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
        return new ForwardedServer(https, answer);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
