package io.matrixinstall.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.secrets.SecretGenerator;
import io.matrixinstall.host.HostHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before asking a CA, makes sure its HTTP-01 check can succeed: the domain must resolve to one of the
 * host's addresses, or (behind NAT, where the public address is not on an interface) a token placed in
 * the webroot must come back over http://domain/. Failing early keeps the CA's rate limits for real tries.
 */
final class DnsCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern ADDRESS = Pattern.compile("\\sinet6?\\s+([0-9a-fA-F.:]+)/");

    private DnsCheck() {}

    /** Every name the certificate will cover ({@code InstallConfig.certificateNames}). */
    static void requirePointsHere(PlanContext context) {
        for (String name : context.config().certificateNames()) {
            requirePointsHere(context, name);
        }
    }

    private static void requirePointsHere(PlanContext context, String domain) {
        // Resolved by the host's own resolver: a remote run asks what the target sees, as the CA will.
        List<String> resolved = context.host().resolve(domain).stream().map(DnsCheck::normalise).toList();
        if (resolved.isEmpty()) {
            throw new StepFailedException(domain + " does not resolve; create its A/AAAA record for this host (or pass"
                    + " --skip-dns-check); no certificate was requested");
        }
        Set<String> local = hostAddresses(context);
        if (resolved.stream().anyMatch(local::contains) || answersHere(context, domain, resolved)) {
            return;
        }
        throw new StepFailedException(domain + " resolves to " + String.join(", ", resolved) + ", not to this host ("
                + String.join(", ", local) + "), and http://" + domain + "/ does not reach it; point the DNS record here"
                + " (or pass --skip-dns-check); no certificate was requested");
    }

    private static Set<String> hostAddresses(PlanContext context) {
        ExecResult result = context.host().exec(Commands.interfaceAddresses());
        Set<String> addresses = new LinkedHashSet<>();
        Matcher m = ADDRESS.matcher(result.stdout());
        while (m.find()) {
            addresses.add(normalise(m.group(1)));
        }
        return addresses;
    }

    /** An address literal in the JVM's one spelling ("::1", not "0:0:0:0:0:0:0:1"); literals are parsed, never looked up. */
    private static String normalise(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /**
     * Serves a random token from the webroot and fetches it as the CA would, http://domain/ on {@code ports.http},
     * from the host to each address the domain resolves to (through {@link HostHttp}, so from the target on a
     * remote run, as on a local one).
     */
    private static boolean answersHere(PlanContext context, String domain, List<String> resolved) {
        String token = "matrix-install-check-" + new SecretGenerator().alphanumeric(16);
        Path file = context.layout().acmeWebroot().resolve(token);
        context.host().writeAtomically(file, token.getBytes(StandardCharsets.UTF_8), Ownership.ROOT, Layout.PUBLIC_FILE);
        try {
            for (String address : resolved) {
                try {
                    HostHttp.Response answer = new HostHttp(context.host(), address, context.config().ports().http(),
                            TIMEOUT, TIMEOUT).get("http", domain, "/.well-known/acme-challenge/" + token);
                    if (answer.status() == 200 && answer.body().equals(token)) {
                        return true;
                    }
                } catch (IOException e) {
                    // this address does not lead here; try the next
                }
            }
            return false;
        } finally {
            context.host().remove(file);
        }
    }
}
