package io.matrixinstall.users;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.secrets.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's own admin account, for the admin API (list, deactivate, reset-password): registered once through
 * shared-secret registration as an admin of user_type {@code support}, so seed 002's MAU queries (which leave
 * support users out) never count it. Its password and access token are kept root-only in the secrets
 * directory beside the registration secret: they live exactly as long as the database that holds the account
 * (a plain uninstall keeps both, --purge-data removes both) and a backup of the secrets carries them. The token
 * is reused rather than logging in per command, because Synapse rate-limits logins per address.
 */
public final class ServiceAdmin {
    public static final String NAME = "matrix-install-agent";
    public static final String USER_TYPE = "support";
    private final Host host;
    private final Layout layout;
    private final Localpart user;
    private final SynapseApi api;
    private final ChangeGate gate;

    public ServiceAdmin(Host host, Layout layout, String serverName, SynapseApi api, ChangeGate gate) {
        this.host = host;
        this.layout = layout;
        this.user = Localpart.of(NAME, serverName);
        this.api = api;
        this.gate = gate;
    }

    public Path passwordFile() {
        return layout.secretsDir().resolve("service_admin_password");
    }

    public Path tokenFile() {
        return layout.secretsDir().resolve("service_admin_token");
    }

    /** A working admin access token: the kept one, else a login with the kept password, else a new registration. */
    public String token() {
        Optional<String> kept = keptToken();
        if (kept.isPresent()) {
            return kept.get();
        }
        Optional<String> password = read(passwordFile());
        if (password.isPresent()) {
            try {
                return keep(api.login(user, password.get()).accessToken());
            } catch (SynapseApiException e) {
                if (e.status() != 403) {
                    throw e;
                }
                // Unknown to this database (e.g. a fresh one under kept secrets): register it below.
            }
        }
        String secret = read(layout.secretsDir().resolve(Secret.REGISTRATION_SHARED_SECRET.fileName()))
                .orElseThrow(() -> new StepFailedException("the registration shared secret "
                        + layout.secretsDir().resolve(Secret.REGISTRATION_SHARED_SECRET.fileName())
                        + " is missing: run `matrix-install up`"));
        String newPassword = password.orElseGet(() -> {
            String generated = new SecretGenerator().secret();
            write(passwordFile(), generated, "service admin password");
            return generated;
        });
        try {
            return keep(api.register(secret, user, newPassword, true, Optional.of(USER_TYPE)).accessToken());
        } catch (SynapseApiException e) {
            if ("M_USER_IN_USE".equals(e.errcode())) {
                throw new StepFailedException("the agent's admin account " + user.userId() + " exists but its password in "
                        + passwordFile() + " does not log in; restore that file from a backup of " + layout.secretsDir());
            }
            throw e;
        }
    }

    /** The kept token when Synapse still accepts it. */
    public Optional<String> keptToken() {
        return read(tokenFile()).filter(this::valid);
    }

    public Localpart user() {
        return user;
    }

    private boolean valid(String token) {
        try {
            return user.userId().equals(api.whoami(token));
        } catch (SynapseApiException e) {
            if (e.status() == 401 || e.status() == 403) {
                return false;
            }
            throw e;
        }
    }

    private String keep(String token) {
        write(tokenFile(), token, "service admin access token");
        return token;
    }

    private void write(Path file, String value, String what) {
        gate.submit("write " + file + " (" + what + ", root 0600)", () -> host.writeAtomically(file,
                value.getBytes(StandardCharsets.UTF_8), Ownership.ROOT, Layout.PRIVATE_FILE));
    }

    private Optional<String> read(Path file) {
        return host.read(file).map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
    }
}
