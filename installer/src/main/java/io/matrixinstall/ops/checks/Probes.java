package io.matrixinstall.ops.checks;

import java.util.Map;

/** Every probe a definition may name, one class each. */
public final class Probes {
    private static final Map<String, Probe> PROBES = Map.of(
            "services", new ServicesProbe(),
            "certificate_file", new CertificateFileProbe(),
            "disk_free", new DiskFreeProbe(),
            "dns", new DnsProbe(),
            "tls_served", new TlsServedProbe(),
            "well_known", new WellKnownProbe(),
            "server_key", new ServerKeyProbe(),
            "federation", new FederationProbe(),
            "client_api", new ClientApiProbe(),
            "clock", new ClockProbe());

    private Probes() {}

    static boolean known(String name) {
        return PROBES.containsKey(name);
    }

    /** Runs one check; a probe that breaks is a failed check saying why, never a crashed command. */
    public static CheckResult run(HealthCheck check, CheckContext context) {
        try {
            return PROBES.get(check.probe()).run(check, context);
        } catch (RuntimeException e) {
            return CheckResult.fail(check, e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
