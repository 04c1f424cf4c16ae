package io.matrixinstall.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A real server on a Unix socket for tests: each connection's request head goes to {@code responder}, whose parts are
 * written one after another (a pause between them, so the client reads them apart); then the connection is closed,
 * or held open for {@code holdMillis} first (a server that never finishes).
 */
public final class ScriptedSocketServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<String> requests = new ArrayList<>();

    public ScriptedSocketServer(Path socket, long holdMillis, Function<String, List<String>> responder) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread loop = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    Thread serving = new Thread(() -> serve(client, holdMillis, responder));
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "scripted-socket-server");
        loop.setDaemon(true);
        loop.start();
    }

    private void serve(SocketChannel client, long holdMillis, Function<String, List<String>> responder) {
        try (client) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (!request.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && client.read(in) > 0) {
                request.write(in.array(), 0, in.position());
                in.clear();
            }
            String head = request.toString(StandardCharsets.ISO_8859_1);
            synchronized (requests) {
                requests.add(head);
            }
            for (String part : responder.apply(head)) {
                client.write(ByteBuffer.wrap(part.getBytes(StandardCharsets.UTF_8)));
                Thread.sleep(20);
            }
            Thread.sleep(holdMillis);
        } catch (IOException | InterruptedException e) {
            // the client gave up: what a test looks at is its side
        }
    }

    /** Each request head received so far, in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** A complete answer with a Content-Length. */
    public static List<String> respond(int status, String reason, String body) {
        return List.of("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
