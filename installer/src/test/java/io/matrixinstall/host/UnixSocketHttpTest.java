package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GET over a Unix socket against a real server on a socket in a temp directory, answering as scripted. */
class UnixSocketHttpTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private ScriptedSocketServer server(long holdMillis, String... parts) throws IOException {
        Function<String, List<String>> responder = request -> List.of(parts);
        return new ScriptedSocketServer(dir.resolve("engine.sock"), holdMillis, responder);
    }

    private UnixSocketHttp.Response get(String target, Duration limit) throws IOException {
        return UnixSocketHttp.get(dir.resolve("engine.sock"), target, limit);
    }

    @Test
    void readsABodyOfContentLengthAndSendsOneClosingGet() throws Exception {
        try (var server = server(0, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 22\r\n\r\n",
                "{\"Version\":\"20.10.24\"}")) {
            UnixSocketHttp.Response response = get("/images/a%20b/json?x=1", LIMIT);
            assertEquals(200, response.status());
            assertEquals("{\"Version\":\"20.10.24\"}", response.text());
            String request = server.requests().get(0);
            assertTrue(request.startsWith("GET /images/a%20b/json?x=1 HTTP/1.1\r\n"), request);
            assertTrue(request.contains("\r\nHost: localhost\r\n") && request.contains("\r\nConnection: close\r\n"), request);
        }
    }

    @Test
    void stopsAtContentLengthWithoutWaitingForTheClose() throws Exception {
        try (var server = server(LIMIT.toMillis() + 2000, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}")) {
            long start = System.nanoTime();
            UnixSocketHttp.Response response = get("/volumes/x", LIMIT);
            assertEquals(404, response.status());
            assertEquals("{}", response.text());
            assertTrue(System.nanoTime() - start < LIMIT.toNanos(), "it waited for the server to close");
        }
    }

    @Test
    void joinsChunksSplitAcrossReads() throws Exception {
        try (var server = server(0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n[{\"a\"",
                ":1}\r\n3;ext=1\r\n,{}\r\n1\r\n]\r\n0\r\n", "\r\n")) {
            assertEquals("[{\"a\":1},{}]", get("/containers/json", LIMIT).text());
        }
    }

    @Test
    void readsToTheEndWithNeitherLengthNorChunks() throws Exception {
        try (var server = server(0, "HTTP/1.0 200 OK\r\n\r\nall ", "of it")) {
            assertEquals("all of it", get("/", LIMIT).text());
        }
    }

    /** The server answers {@code response}; the GET fails with an IOException naming {@code why}. */
    private void refused(String response, String why) throws Exception {
        try (var server = server(0, response)) {
            IOException e = assertThrows(IOException.class, () -> get("/version", LIMIT));
            assertTrue(e.getMessage().contains(why), e.getMessage());
        }
    }

    @Test
    void refusesWhatIsNoHttpResponse() throws Exception {
        refused("SSH-2.0-OpenSSH_9.2\r\n\r\n", "status line");
    }

    @Test
    void refusesAMalformedChunk() throws Exception {
        refused("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size");
    }

    @Test
    void refusesABodyCutShort() throws Exception {
        refused("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "ended early");
    }

    @Test
    void givesUpWhenTheServerSaysNothingInTime() throws Exception {
        try (var server = server(5000)) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> get("/version", Duration.ofMillis(300)));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("in time"), e.getMessage());
            assertTrue(took >= 250 && took < 2000, "took " + took + " ms");
        }
    }

    @Test
    void failsAtOnceWhenNoOneListens() {
        assertThrows(IOException.class, () -> get("/version", LIMIT));
    }
}
