package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.command.Command;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The streaming calls a remote engine and image transfer rely on, on the local host. */
class LocalHostStreamsTest {
    private final LocalHost host = new LocalHost();

    private static Command of(String... argv) {
        return new Command(List.of(argv), Optional.empty(), Map.of(), Duration.ofSeconds(20));
    }

    @Test
    void execWithInputFeedsTheWholeStreamWithoutHoldingIt() {
        long size = 64L << 20;
        InputStream zeros = new InputStream() { // 64 MiB produced on the fly, never held
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        ExecResult result = host.execWithInput(of("wc", "-c"), zeros);
        assertEquals(0, result.exitCode());
        assertEquals(String.valueOf(size), result.stdout().trim());
    }

    @Test
    void startGivesADuplexStream() throws Exception {
        try (HostProcess cat = host.start(of("cat"))) {
            cat.input().write("ping\n".getBytes(StandardCharsets.UTF_8));
            cat.input().flush();
            byte[] answer = cat.output().readNBytes(5);
            assertEquals("ping\n", new String(answer, StandardCharsets.UTF_8));
        }
    }

    @Test
    void reachIsTheSameAddressLocally() {
        assertEquals(8008, host.reach("127.0.0.1", 8008).getPort());
        assertEquals("127.0.0.1", host.reach("127.0.0.1", 8008).getHostString());
    }

    @Test
    void statAllAnswersEveryPath() {
        var states = host.statAll(List.of(java.nio.file.Path.of("/etc/os-release"), java.nio.file.Path.of("/nonexistent-mi")));
        assertEquals(2, states.size());
        assertEquals(true, states.get(java.nio.file.Path.of("/etc/os-release")).isPresent());
        assertEquals(false, states.get(java.nio.file.Path.of("/nonexistent-mi")).isPresent());
    }
}
