package io.matrixinstall.users;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.ChangeGate;

/**
 * Synapse's admin API at its container's address ({@link SynapseApi#of}) with the {@link ServiceAdmin}'s token,
 * obtained once on first need: what the user and token commands share.
 */
final class AdminSession {
    private final SynapseApi api;
    private final ServiceAdmin admin;
    private String token;

    AdminSession(Host host, InstallConfig config, ChangeGate gate) {
        this.api = SynapseApi.of(host, config);
        this.admin = new ServiceAdmin(host, new Layout(config), config.serverName(), api, gate);
    }

    SynapseApi api() {
        return api;
    }

    /** True when the agent's admin account has a working token already (using it changes nothing). */
    boolean ready() {
        return admin.keptToken().isPresent();
    }

    String token() {
        if (token == null) {
            token = admin.token();
        }
        return token;
    }
}
