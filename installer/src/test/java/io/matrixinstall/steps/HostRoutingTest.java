package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.ForwardedServer;
import io.matrixinstall.host.RecordingHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health poll and the DNS check ask the host, never the agent's own JVM: the poll connects where
 * {@code Host.reach} says (an SSH forward on a remote host), the domain is resolved by a command run on the host.
 * The recording host's answers describe a machine elsewhere (203.0.113.7), and its forwards lead to a server of the
 * test on a port the configuration never names, so only a step that goes through the Host can succeed.
 */
class HostRoutingTest {
    private static final int FORWARDED = 21301;
    private static final List<String> GETENT = List.of("getent", "ahosts", "--", "matrix.example.org");
    private static final List<String> IP_ADDR = List.of("ip", "-o", "addr", "show");
    private static final String TARGET_ADDRESSES = "1: lo    inet 127.0.0.1/8 scope host lo\n"
            + "2: eth0    inet 203.0.113.7/24 brd 203.0.113.255 scope global eth0\n"
            + "2: eth0    inet6 2001:db8::7/64 scope global\n";

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "self-signed"));
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ForwardedServer server;

    /** Stands for what listens on the host: /health answers 200, a challenge path answers its own token. */
    @BeforeEach
    void serverBehindTheForward() throws IOException {
        server = ForwardedServer.start(FORWARDED, Optional.empty(), exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestHeaders().getFirst("Host") + " " + path);
            return path.equals("/health") ? "OK".getBytes(StandardCharsets.UTF_8)
                    : path.substring(path.lastIndexOf('/') + 1).getBytes(StandardCharsets.UTF_8);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PlanContext context(RecordingHost host) {
        return new PlanContext(config, host, ChangeGate.applying(line -> {}));
    }

    @Test
    void healthPollConnectsWhereTheHostReachesItsLoopback() {
        RecordingHost host = new RecordingHost().forward("127.0.0.1", 8008, new InetSocketAddress("127.0.0.1", FORWARDED));
        new WaitHealthyStep().run(context(host));
        assertEquals(List.of("127.0.0.1:8008"), host.reached);
        assertTrue(requests.get(0).endsWith(" /health"), requests.toString());
        assertEquals(List.of(), host.executed);
    }

    @Test
    void dnsCheckResolvesOnTheHostAndComparesWithTheHostsInterfaces() {
        RecordingHost host = new RecordingHost()
                .answer(GETENT, 0, "203.0.113.7     STREAM matrix.example.org\n203.0.113.7     DGRAM  \n203.0.113.7     RAW    \n")
                .answer(IP_ADDR, 0, TARGET_ADDRESSES);
        DnsCheck.requirePointsHere(context(host));
        assertEquals(List.of(GETENT, IP_ADDR), host.executed);
        assertEquals(List.of(), host.reached, "an address of the host needs no fetch");
    }

    @Test
    void anIpv6AnswerIsComparedInOneSpelling() {
        RecordingHost host = new RecordingHost()
                .answer(GETENT, 0, "2001:db8:0:0::7 STREAM matrix.example.org\n")
                .answer(IP_ADDR, 0, TARGET_ADDRESSES);
        DnsCheck.requirePointsHere(context(host));
        assertEquals(List.of(), host.reached);
    }

    @Test
    void behindNatTheTokenIsFetchedFromTheHostThroughTheResolvedAddress() {
        RecordingHost host = new RecordingHost()
                .answer(GETENT, 0, "198.51.100.9    STREAM matrix.example.org\n")
                .answer(IP_ADDR, 0, TARGET_ADDRESSES)
                .forward("198.51.100.9", 80, new InetSocketAddress("127.0.0.1", FORWARDED));
        DnsCheck.requirePointsHere(context(host));
        assertEquals(List.of("198.51.100.9:80"), host.reached);
        assertEquals(1, requests.size());
        assertTrue(requests.get(0).startsWith("matrix.example.org"), "the request names the domain: " + requests);
        assertTrue(requests.get(0).contains("/.well-known/acme-challenge/matrix-install-check-"), requests.toString());
        assertEquals(1, host.removed.size(), "the token is removed again");
        assertTrue(host.written.isEmpty());
    }

    @Test
    void aNameTheHostCannotResolveStopsTheRun() {
        RecordingHost host = new RecordingHost().answer(GETENT, 2, "");
        StepFailedException e = assertThrows(StepFailedException.class, () -> DnsCheck.requirePointsHere(context(host)));
        assertEquals("matrix.example.org does not resolve; create its A/AAAA record for this host (or pass"
                + " --skip-dns-check); no certificate was requested", e.getMessage());
        assertEquals(List.of(GETENT), host.executed);
    }
}
