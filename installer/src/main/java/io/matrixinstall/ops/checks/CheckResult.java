package io.matrixinstall.ops.checks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The outcome of one check. {@code fail} makes `status`/`doctor` exit 1; {@code warn} is said but does not;
 * {@code skip} means the check does not apply to this install (the message says why).
 */
@JsonPropertyOrder({"id", "status", "message", "fix"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(@JsonProperty("id") String id, @JsonProperty("status") Status status,
        @JsonProperty("message") String message, @JsonProperty("fix") String fix) {

    public enum Status {
        @JsonProperty("ok") OK, @JsonProperty("warn") WARN, @JsonProperty("fail") FAIL, @JsonProperty("skip") SKIP;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static CheckResult ok(HealthCheck check, String message) {
        return new CheckResult(check.id(), Status.OK, message, null);
    }

    public static CheckResult fail(HealthCheck check, String message) {
        return new CheckResult(check.id(), Status.FAIL, message, check.fix().strip());
    }

    public static CheckResult warn(HealthCheck check, String message) {
        return new CheckResult(check.id(), Status.WARN, message, check.fix().strip());
    }

    public static CheckResult skip(HealthCheck check, String message) {
        return new CheckResult(check.id(), Status.SKIP, message, null);
    }
}
