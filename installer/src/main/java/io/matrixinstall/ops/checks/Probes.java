package io.matrixinstall.ops.checks;

import java.util.Map;

/** Every probe a definition may name, one class each. */
public final class Probes {
    private static final Map<String, Probe> PROBES = Map.ofEntries(
            Map.entry("services", new ServicesProbe()),
            Map.entry("certificate_file", new CertificateFileProbe()),
            Map.entry("disk_free", new DiskFreeProbe()),
            Map.entry("dns", new DnsProbe()),
            Map.entry("tls_served", new TlsServedProbe()),
            Map.entry("well_known", new WellKnownProbe()),
            Map.entry("server_key", new ServerKeyProbe()),
            Map.entry("federation", new FederationProbe()),
            Map.entry("client_api", new ClientApiProbe()),
            Map.entry("clock", new ClockProbe()),
            Map.entry("smtp", new SmtpProbe()),
            Map.entry("ldap", new LdapProbe()));

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
