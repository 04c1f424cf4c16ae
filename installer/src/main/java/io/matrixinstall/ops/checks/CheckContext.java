package io.matrixinstall.ops.checks;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostDns;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.ops.ServiceState;
import io.matrixinstall.ops.StatusReader;
import java.util.List;

/** What the probes of one `status` or `doctor` run share: the install, the host, and what was read once. */
public final class CheckContext {
    private final InstallConfig config;
    private final Host host;
    private final StatusReader reader;
    private final PublicEndpoint endpoint;
    private final HostDns dns;
    private List<ServiceState> services;

    public CheckContext(InstallConfig config, Host host, StatusReader reader, PublicEndpoint endpoint) {
        this(config, host, reader, endpoint, new HostDns(host));
    }

    /** With another DNS than the host's nameservers: the tests' own. */
    CheckContext(InstallConfig config, Host host, StatusReader reader, PublicEndpoint endpoint, HostDns dns) {
        this.config = config;
        this.host = host;
        this.reader = reader;
        this.endpoint = endpoint;
        this.dns = dns;
    }

    public InstallConfig config() {
        return config;
    }

    public Layout layout() {
        return new Layout(config);
    }

    public Host host() {
        return host;
    }

    public StatusReader reader() {
        return reader;
    }

    public PublicEndpoint endpoint() {
        return endpoint;
    }

    /** The host's DNS, as other servers' DNS would answer (not its /etc/hosts). */
    public HostDns dns() {
        return dns;
    }

    /** Read once per run (status shows the same list it checks). */
    public List<ServiceState> services() {
        if (services == null) {
            services = reader.services();
        }
        return services;
    }

    /** Why the public checks do not apply, or null when nginx terminates TLS here. */
    String noPublicTls() {
        return TlsModes.of(config).publicChecksSkipped().orElse(null);
    }
}
