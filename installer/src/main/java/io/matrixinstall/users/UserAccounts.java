package io.matrixinstall.users;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The accounts of an installed server, through Synapse at its container's address ({@link SynapseApi#of}):
 * creation by shared-secret registration, the rest through the admin API with the {@link ServiceAdmin}'s token
 * (obtained on first need).
 */
public final class UserAccounts {
    private final Host host;
    private final Layout layout;
    private final InstallConfig config;
    private final SynapseApi api;
    private final ChangeGate gate;
    private final AdminSession admin;

    public UserAccounts(Host host, InstallConfig config, ChangeGate gate) {
        this.host = host;
        this.config = config;
        this.layout = new Layout(config);
        this.gate = gate;
        this.admin = new AdminSession(host, config, gate);
        this.api = admin.api();
    }

    public Localpart localpart(String name) {
        return Localpart.ofNameOrId(name, config.serverName());
    }

    /** Registers the account; false (nothing changed) when the name is taken. */
    public boolean add(Localpart user, String password, boolean admin) {
        String secret = host.read(layout.secretsDir().resolve(Secret.REGISTRATION_SHARED_SECRET.fileName()))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip())
                .orElseThrow(() -> new StepFailedException("no registration shared secret under " + layout.secretsDir()
                        + ": run `matrix-install up`"));
        try {
            gate.submit("register " + user.userId() + (admin ? " (admin)" : ""),
                    () -> api.register(secret, user, password, admin, Optional.empty()));
            return true;
        } catch (SynapseApiException e) {
            if ("M_USER_IN_USE".equals(e.errcode())) {
                return false;
            }
            throw e;
        }
    }

    /** True when the agent's admin account has a working token already (using it changes nothing). */
    public boolean serviceAdminReady() {
        return admin.ready();
    }

    public List<SynapseApi.User> list() {
        return api.users(adminToken());
    }

    /** Deactivates the account; false when it already is. A missing account fails naming it. */
    public boolean deactivate(Localpart user) {
        refuseServiceAdmin(user);
        if (existing(user).deactivated()) {
            return false;
        }
        gate.submit("deactivate " + user.userId(), () -> api.deactivate(adminToken(), user));
        return true;
    }

    public void resetPassword(Localpart user, String password) {
        refuseServiceAdmin(user);
        if (existing(user).deactivated()) {
            throw new StepFailedException(user.userId() + " is deactivated; a new password would not let it log in");
        }
        gate.submit("reset the password of " + user.userId() + " (its devices are logged out)",
                () -> api.resetPassword(adminToken(), user, password));
    }

    private static void refuseServiceAdmin(Localpart user) {
        if (user.name().equals(ServiceAdmin.NAME)) {
            throw new ConfigException("NAME", user.userId()
                    + " is matrix-install's own admin account; the user commands need it as it is");
        }
    }

    private SynapseApi.User existing(Localpart user) {
        return api.user(adminToken(), user).orElseThrow(() -> new StepFailedException("no user " + user.userId()
                + " on this server (see `matrix-install user list`)"));
    }

    private String adminToken() {
        return admin.token();
    }
}
