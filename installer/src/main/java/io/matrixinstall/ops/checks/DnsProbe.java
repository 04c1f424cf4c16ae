package io.matrixinstall.ops.checks;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domain resolves, and to an address of this host. An address not on any interface is a warning only: behind
 * NAT or a load balancer that is expected, and the HTTPS checks then tell whether the outside reaches here.
 */
final class DnsProbe implements Probe {
    private static final Pattern ADDRESS = Pattern.compile("\\sinet6?\\s+([0-9a-fA-F.:]+)/");

    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        String domain = context.config().domain();
        // The host's resolver, not the agent's: a remote run reports what the target sees.
        List<String> resolved = context.host().resolve(domain);
        if (resolved.isEmpty()) {
            return CheckResult.fail(check, domain + " does not resolve");
        }
        ExecResult addresses = context.host().exec(Commands.interfaceAddresses());
        Matcher m = ADDRESS.matcher(addresses.stdout());
        List<String> local = m.results().map(r -> normalise(r.group(1))).toList();
        boolean here = resolved.stream().map(DnsProbe::normalise).anyMatch(local::contains);
        String message = domain + " resolves to " + String.join(", ", resolved);
        return here || !addresses.ok() ? CheckResult.ok(check, message)
                : CheckResult.warn(check, message + ", not an address of this host (fine behind NAT or a load balancer)");
    }

    private static String normalise(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
