package io.matrixinstall.plan;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secrets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** What the steps of one run share: inputs, the host, the gate, and what earlier steps learned. */
public final class PlanContext {
    private final InstallConfig config;
    private final Layout layout;
    private final Host host;
    private final ChangeGate gate;
    private final Set<String> servicesToRestart = new LinkedHashSet<>();
    private Secrets secrets;

    public PlanContext(InstallConfig config, Host host, ChangeGate gate) {
        this.config = config;
        this.layout = new Layout(config);
        this.host = host;
        this.gate = gate;
    }

    public InstallConfig config() {
        return config;
    }

    public Layout layout() {
        return layout;
    }

    public Host host() {
        return host;
    }

    public ChangeGate gate() {
        return gate;
    }

    public Secrets secrets() {
        return Optional.ofNullable(secrets).orElseThrow(() -> new IllegalStateException("secrets step has not run"));
    }

    /** Set by the secrets step for the steps after it. */
    public void useSecrets(Secrets secrets) {
        this.secrets = secrets;
    }

    /** A config file a running service reads changed: that service must restart to see it. */
    public void restartLater(Set<String> services) {
        servicesToRestart.addAll(services);
    }

    public Set<String> servicesToRestart() {
        return Collections.unmodifiableSet(servicesToRestart);
    }
}
