package io.matrixinstall.ops.checks;

/** The code behind a kind of check; a definition in healthchecks/ names it and gives its parameters. */
public interface Probe {
    CheckResult run(HealthCheck check, CheckContext context);
}
