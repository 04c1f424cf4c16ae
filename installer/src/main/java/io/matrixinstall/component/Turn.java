package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.config.TurnSettings;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.secrets.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TURN server (coturn), for voice and video calls between clients behind NAT: its configuration, its service in
 * the matrix project (on the host's network), its listeners and, switched off, its files. Its secret is generated,
 * backed up and restored with the others ({@link #secrets}); it and the external address (found on the host each run,
 * TurnValues beside the steps) reach the templates as {@code turn.secret}, {@code turn.external_ip} and
 * {@code turn.ready}; Synapse's turn_* settings come with them.
 */
public final class Turn implements Component {
    static final String SERVICE = "coturn";

    /**
     * Whether coturn serves TURN over TLS: only with a certificate the agent itself writes to the host (acme, files,
     * self-signed); nginx-certbot keeps its certificate in the proxy's volume, external and none have none here.
     */
    public static boolean tlsServed(InstallConfig config) {
        return TurnSettings.of(config).enabled() && TlsModes.of(config).agentWritesCertificates();
    }

    @Override
    public String name() {
        return "turn";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return TurnSettings.of(config).enabled();
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return "turn.enabled is false";
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        return List.of(Layout.file(layout.turnConfig(), "turn/turnserver.conf.ftl", ROOT, Layout.PRIVATE_FILE, Set.of(SERVICE)));
    }

    /** Generated with the others while TURN is on; Synapse and coturn read the same value. */
    @Override
    public List<Secret> secrets() {
        return List.of(Secret.TURN_SHARED_SECRET);
    }

    @Override
    public List<ComposeService> services(Layout layout) {
        InstallConfig config = layout.config();
        return List.of(new ComposeService(SERVICE, config.projects().matrix(), layout.composeFile(),
                TurnSettings.of(config).image()));
    }

    @Override
    public List<String> ownPorts(InstallConfig config) {
        TurnSettings turn = TurnSettings.of(config);
        return turn.listeners(tlsServed(config));
    }

    @Override
    public Map<String, Object> templateValues(InstallConfig config) {
        TurnSettings turn = TurnSettings.of(config);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("port", turn.port());
        values.put("tls_port", turn.tlsPort());
        values.put("tls", tlsServed(config));
        values.put("relay_min_port", turn.relayMinPort());
        values.put("relay_max_port", turn.relayMaxPort());
        values.put("user_lifetime", turn.userLifetime());
        values.put("image", turn.image());
        values.put("live_dir", new Layout(config).liveDir().toString());
        return Map.of("turn", values);
    }

    @Override
    public List<Leftover> leftovers(Layout layout) {
        // Its container goes with `compose up --remove-orphans` (StackStep), its file from the compose file's rendering.
        return List.of(Leftover.file(layout.turnConfig()), Leftover.file(layout.turnSecret()),
                Leftover.file(layout.turnLoadedRecord()));
    }

    /** The relay is useless behind a closed firewall, and the agent does not manage the host's firewall. */
    @Override
    public List<String> notices(InstallConfig config) {
        TurnSettings turn = TurnSettings.of(config);
        return List.of("firewall: the TURN server needs " + String.join(", ", turn.listeners(tlsServed(config)))
                + " and its relay range " + turn.relayRange() + " open to everyone (docs/turn.md)");
    }

    @Override
    public List<String> statusLines(StatusSource source) {
        InstallConfig config = source.config();
        TurnSettings turn = TurnSettings.of(config);
        boolean tls = tlsServed(config);
        return List.of("turn: turn:" + config.domain() + ":" + turn.port() + " (udp, tcp)"
                + (tls ? ", turns:" + config.domain() + ":" + turn.tlsPort() : "") + "; relay ports " + turn.relayRange()
                + "; address " + turn.externalIp().orElse("detected from " + config.domain()));
    }
}
