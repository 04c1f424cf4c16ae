package io.matrixinstall.turn;

import io.matrixinstall.config.ConfigKey;
import io.matrixinstall.config.TurnSettings;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.secrets.Secret;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the TURN server's files need beside the configuration, found once per run when {@code turn.enabled}: the secret
 * coturn and Synapse share (a generated secret of the Turn component, see SecretsStep) and the public address (from
 * {@code turn.external_ip}, else detected). Handed to the templates as {@code turn.secret} / {@code turn.external_ip}.
 */
public final class TurnValues {
    private TurnValues() {}

    public static void find(PlanContext context) {
        TurnSettings turn = TurnSettings.of(context.config());
        if (!turn.enabled()) {
            return;
        }
        String secret = context.secrets().get(Secret.TURN_SHARED_SECRET);
        String address = turn.externalIp().orElseGet(() -> detect(context));
        context.useSecrets(context.secrets().withComponentValues("turn",
                Map.of("secret", secret, "external_ip", address, "ready", true)));
    }

    /**
     * The first IPv4 address the host resolves the domain to: clients reach the server by that name, so the relay is
     * there too. Refused when it is not a public address (a test machine, a split-horizon DNS, NAT without
     * hairpin): the operator then names it in turn.external_ip.
     */
    static String detect(PlanContext context) {
        String domain = context.config().domain();
        return choose(domain, context.host().resolve(domain));
    }

    /** The external address among what {@code domain} resolves to, or the one-line refusal. */
    static String choose(String domain, List<String> addresses) {
        Optional<String> ipv4 = addresses.stream().filter(a -> a.matches("[0-9.]+")).findFirst();
        if (ipv4.isEmpty() || !isPublic(ipv4.get())) {
            String why = ipv4.map(a -> domain + " resolves to " + a + ", not a public address")
                    .orElse(domain + " has no IPv4 address on the host");
            throw new PreconditionException("turn.enabled: cannot tell the TURN server's public address (" + why
                    + "); set " + ConfigKey.TURN_EXTERNAL_IP.key() + ". Nothing was changed.");
        }
        return TurnSettings.externalIp(ConfigKey.TURN_EXTERNAL_IP.key(), ipv4.get());
    }

    static boolean isPublic(String ipv4) {
        try {
            InetAddress address = InetAddress.getByName(ipv4); // a literal: no lookup
            byte[] b = address.getAddress();
            boolean cgnat = (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
            return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress() || cgnat);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
