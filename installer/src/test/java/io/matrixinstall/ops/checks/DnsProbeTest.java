package io.matrixinstall.ops.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.RecordingHost;
import io.matrixinstall.ops.StatusReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** doctor's DNS check asks the host's resolver (getent on the host), never the agent's JVM. */
class DnsProbeTest {
    private static final List<String> GETENT = List.of("getent", "ahosts", "--", "matrix.example.org");
    private static final List<String> IP_ADDR = List.of("ip", "-o", "addr", "show");
    private static final HealthCheck DNS = new HealthCheck("dns", "DNS", List.of("doctor"), "dns", Map.of(), "point it here");

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "self-signed"));

    private CheckResult run(RecordingHost host) {
        return new DnsProbe().run(DNS, new CheckContext(config, host, new StatusReader(host, config), new PublicEndpoint(host)));
    }

    @Test
    void anAddressOfTheHostIsOk() {
        RecordingHost host = new RecordingHost().answer(GETENT, 0, "2001:db8::7 STREAM matrix.example.org\n")
                .answer(IP_ADDR, 0, "2: eth0    inet6 2001:db8:0:0:0:0:0:7/64 scope global\n");
        CheckResult result = run(host);
        assertEquals(CheckResult.Status.OK, result.status(), result.message());
        assertEquals("matrix.example.org resolves to 2001:db8::7", result.message());
        assertEquals(List.of(GETENT, IP_ADDR), host.executed);
    }

    @Test
    void anotherAddressIsAWarning() {
        RecordingHost host = new RecordingHost().answer(GETENT, 0, "198.51.100.9 STREAM matrix.example.org\n")
                .answer(IP_ADDR, 0, "2: eth0    inet 203.0.113.7/24 scope global eth0\n");
        assertEquals(CheckResult.Status.WARN, run(host).status());
    }

    @Test
    void aNameTheHostCannotResolveFails() {
        RecordingHost host = new RecordingHost().answer(GETENT, 2, "");
        CheckResult result = run(host);
        assertEquals(CheckResult.Status.FAIL, result.status());
        assertEquals("matrix.example.org does not resolve", result.message());
    }
}
