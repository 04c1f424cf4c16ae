package io.matrixinstall.ops;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.layout.StateDir;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.ops.checks.CheckContext;
import io.matrixinstall.ops.checks.CheckResult;
import io.matrixinstall.ops.checks.HealthCheck;
import io.matrixinstall.ops.checks.HealthChecks;
import io.matrixinstall.ops.checks.Probes;
import io.matrixinstall.ops.checks.PublicEndpoint;
import io.matrixinstall.tls.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything `status` says, and the shape of `status --json` (stable: fields are only ever added; see docs/operating.md).
 *
 * @param healthy   false when a check failed; then {@code problems} says why, one line each
 * @param lastUpdate the newest update, refresh or rollback in the history, or null
 * @param renewals  the last lines of renew.log (tls.mode acme), oldest first
 */
@JsonPropertyOrder({"healthy", "problems", "domain", "server_name", "tls_mode", "services", "certificate", "disk",
    "last_update", "renewals", "checks"})
public record StatusReport(
        @JsonProperty("healthy") boolean healthy,
        @JsonProperty("problems") List<String> problems,
        @JsonProperty("domain") String domain,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("tls_mode") String tlsMode,
        @JsonProperty("services") List<ServiceState> services,
        @JsonProperty("certificate") Certificate certificate,
        @JsonProperty("disk") Disk disk,
        @JsonProperty("last_update") AuditHistory.Entry lastUpdate,
        @JsonProperty("renewals") List<String> renewals,
        @JsonProperty("checks") List<CheckResult> checks) {

    /** The certificate nginx reads from disk (agent-managed TLS modes), else null. */
    @JsonPropertyOrder({"names", "issuer", "not_after", "days_left"})
    public record Certificate(@JsonProperty("names") List<String> names, @JsonProperty("issuer") String issuer,
            @JsonProperty("not_after") String notAfter, @JsonProperty("days_left") long daysLeft) {}

    /** Bytes used and free; null where they cannot be measured. */
    @JsonPropertyOrder({"base_dir", "base_dir_bytes", "database_volume", "database_volume_bytes", "free_bytes"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Disk(@JsonProperty("base_dir") String baseDir, @JsonProperty("base_dir_bytes") Long baseDirBytes,
            @JsonProperty("database_volume") String databaseVolume,
            @JsonProperty("database_volume_bytes") Long databaseVolumeBytes, @JsonProperty("free_bytes") Long freeBytes) {}

    /** The history commands whose last result `status` shows. */
    public static final Set<String> UPDATES = Set.of("update", "refresh", "rollback");

    /** Reads the host and runs the checks healthchecks/ declares for `command` (status or doctor). */
    public static StatusReport collect(Host host, InstallConfig config, StateDir state, List<String> renewals, String command) {
        StatusReader reader = new StatusReader(host, config);
        CheckContext context = new CheckContext(config, host, reader, new PublicEndpoint(host));
        List<CheckResult> checks = new ArrayList<>();
        for (HealthCheck check : HealthChecks.forCommand(command)) {
            checks.add(Probes.run(check, context));
        }
        List<String> problems = checks.stream().filter(c -> c.status() == CheckResult.Status.FAIL)
                .map(c -> c.id() + ": " + c.message()).toList();
        Layout layout = new Layout(config);
        Disk disk = new Disk(config.baseDir().toString(), boxed(reader.diskUse(config.baseDir())), layout.databaseVolume(),
                boxed(reader.volumeUse(layout.databaseVolume())), boxed(reader.freeBytes(config.baseDir())));
        return new StatusReport(problems.isEmpty(), problems, config.domain(), config.serverName(),
                config.tls().mode().toString(), context.services(), certificate(host, config, layout), disk,
                new AuditHistory(host, state).last(UPDATES).orElse(null), renewals, checks);
    }

    private static Certificate certificate(Host host, InstallConfig config, Layout layout) {
        if (!TlsModes.of(config).agentWritesCertificates()) {
            return null;
        }
        return host.read(layout.fullchain()).map(pem -> {
            try {
                X509Certificate leaf = CertificateFiles.parseChain(new String(pem, StandardCharsets.UTF_8)).get(0);
                return new Certificate(CertificateFiles.dnsNames(leaf), leaf.getIssuerX500Principal().getName(),
                        leaf.getNotAfter().toInstant().toString(), CertificateFiles.daysUntilExpiry(leaf, Instant.now()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).orElse(null);
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    public static com.fasterxml.jackson.databind.ObjectMapper json() {
        return new com.fasterxml.jackson.databind.ObjectMapper();
    }
}
