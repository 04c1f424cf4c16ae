package io.matrixinstall.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 GET over a Unix domain socket (a Docker engine's API), read in-process: no program started. The
 * whole exchange has one deadline (a Unix socket channel has no read timeout of its own, so it waits through a
 * selector), and the connection is closed after the one answer ({@code Connection: close}).
 */
public final class UnixSocketHttp {
    /** Far more than any answer read this way (an inspected container is a few KiB). */
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;

    /** A status and the body, de-chunked. */
    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private UnixSocketHttp() {}

    /**
     * {@code GET target} (a path with its query, already percent-encoded) on the server at {@code socket}, within
     * {@code limit}; an IOException when it cannot connect, answers outside HTTP/1.x, or takes longer.
     */
    public static Response get(Path socket, String target, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: matrix-install\r\n"
                + "Accept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                await(channel, selector, SelectionKey.OP_CONNECT, deadline);
                channel.finishConnect();
            }
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(channel, selector, SelectionKey.OP_WRITE, deadline);
                }
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            while (true) {
                in.clear();
                int read = channel.read(in);
                if (read < 0) {
                    byte[] all = received.toByteArray();
                    return parse(all, true).orElseThrow(() -> new IOException("the answer ended early"));
                }
                if (read == 0) {
                    await(channel, selector, SelectionKey.OP_READ, deadline);
                    continue;
                }
                received.write(in.array(), 0, read);
                if (received.size() > MAX_RESPONSE) {
                    throw new IOException("an answer larger than " + MAX_RESPONSE + " bytes");
                }
                Optional<Response> complete = parse(received.toByteArray(), false);
                if (complete.isPresent()) {
                    return complete.get();
                }
            }
        }
    }

    private static void await(SocketChannel channel, Selector selector, int operation, long deadline) throws IOException {
        SelectionKey key = channel.register(selector, operation);
        try {
            while (selector.selectedKeys().isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no answer in time");
                }
                selector.select(Math.max(1, left / 1_000_000));
            }
        } finally {
            selector.selectedKeys().clear();
            key.interestOps(0);
        }
    }

    /**
     * The response in {@code data} when it is complete (its body as long as Content-Length says, or chunked up to the
     * last chunk, or, with neither, up to the end of the stream when {@code ended}); empty when more is to come. An
     * IOException when it is no HTTP/1.x response.
     */
    static Optional<Response> parse(byte[] data, boolean ended) throws IOException {
        int headEnd = indexOf(data, 0, "\r\n\r\n");
        if (headEnd < 0) {
            if (ended || (data.length >= 5 && !startsWith(data, "HTTP/"))) {
                throw new IOException("a malformed status line: not HTTP");
            }
            return Optional.empty();
        }
        String[] head = new String(data, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = status(head[0]);
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("a malformed header line: " + head[i]);
            }
            String name = head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = head[i].substring(colon + 1).strip();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("a malformed Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        int bodyStart = headEnd + 4;
        if (chunked) {
            return chunks(data, bodyStart, ended).map(body -> new Response(status, body));
        }
        if (length >= 0) {
            if (data.length - bodyStart < length) {
                if (ended) {
                    throw new IOException("the answer ended early");
                }
                return Optional.empty();
            }
            return Optional.of(new Response(status, Arrays.copyOfRange(data, bodyStart, bodyStart + (int) length)));
        }
        if (status == 204 || status == 304 || status / 100 == 1) {
            return Optional.of(new Response(status, new byte[0]));
        }
        return ended ? Optional.of(new Response(status, Arrays.copyOfRange(data, bodyStart, data.length))) : Optional.empty();
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].matches("HTTP/1\\.[01]") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("a malformed status line: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    /** The de-chunked body when the last (zero-sized) chunk has arrived, else empty (or an IOException when ended). */
    private static Optional<byte[]> chunks(byte[] data, int start, boolean ended) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = start;
        while (true) {
            int lineEnd = indexOf(data, at, "\r\n");
            if (lineEnd < 0) {
                return incomplete(ended);
            }
            String sizeLine = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int extension = sizeLine.indexOf(';');
            String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("a malformed chunk size: " + sizeLine);
            }
            if (size < 0) {
                throw new IOException("a malformed chunk size: " + sizeLine);
            }
            at = lineEnd + 2;
            if (size == 0) { // trailers, if any, end with an empty line
                int end = indexOf(data, lineEnd, "\r\n\r\n");
                return end < 0 ? incomplete(ended) : Optional.of(body.toByteArray());
            }
            if (data.length - at < (long) size + 2) {
                return incomplete(ended);
            }
            body.write(data, at, size);
            at += size;
            if (data[at] != '\r' || data[at + 1] != '\n') {
                throw new IOException("a chunk not ended by CRLF");
            }
            at += 2;
        }
    }

    private static Optional<byte[]> incomplete(boolean ended) throws IOException {
        if (ended) {
            throw new IOException("the answer ended early");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (data[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int from, String needle) {
        outer:
        for (int i = from; i <= data.length - needle.length(); i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (data[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
