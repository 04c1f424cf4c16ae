package io.matrixinstall.plan.steps;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.secrets.SecretGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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
    private static final Pattern ADDRESS = Pattern.compile("\\sinet6?\\s+([0-9a-fA-F.:]+)/");

    private DnsCheck() {}

    static void requirePointsHere(PlanContext context) {
        String domain = context.config().domain();
        List<String> resolved;
        try {
            resolved = Arrays.stream(InetAddress.getAllByName(domain)).map(InetAddress::getHostAddress).toList();
        } catch (UnknownHostException e) {
            throw new StepFailedException(domain + " does not resolve; create its A/AAAA record for this host (or pass"
                    + " --skip-dns-check); no certificate was requested");
        }
        Set<String> local = hostAddresses(context);
        if (resolved.stream().anyMatch(local::contains) || answersHere(context)) {
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

    private static String normalise(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** Serves a random token from the webroot and fetches it through the domain's port 80 path. */
    private static boolean answersHere(PlanContext context) {
        String token = "matrix-install-check-" + new SecretGenerator().alphanumeric(16);
        Path file = context.layout().acmeWebroot().resolve(token);
        context.host().writeAtomically(file, token.getBytes(StandardCharsets.UTF_8), Ownership.ROOT, Layout.PUBLIC_FILE);
        try {
            URI uri = URI.create("http://" + context.config().domain() + ":" + context.config().ports().http()
                    + "/.well-known/acme-challenge/" + token);
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(5000);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(token);
            }
        } catch (IOException e) {
            return false;
        } finally {
            context.host().remove(file);
        }
    }
}
