package io.matrixinstall.ops.checks;

import io.matrixinstall.ops.ServiceState;
import java.util.List;
import java.util.stream.Collectors;

/** Every service's container runs and is healthy, health read live. */
final class ServicesProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        List<ServiceState> services = context.services();
        List<String> problems = services.stream().filter(s -> !s.healthy()).map(ServiceState::problem).toList();
        return problems.isEmpty()
                ? CheckResult.ok(check, services.stream().map(ServiceState::name).collect(Collectors.joining(", ")) + " healthy")
                : CheckResult.fail(check, String.join("; ", problems));
    }
}
