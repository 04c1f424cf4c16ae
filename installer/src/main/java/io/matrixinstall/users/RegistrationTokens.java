package io.matrixinstall.users;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.users.SynapseApi.RegistrationToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import io.matrixinstall.secrets.SecretGenerator;

/**
 * Synapse's registration tokens (registration.mode token: sign-up needs one), through the admin API with the
 * agent's own admin token, as {@link UserAccounts} does for accounts.
 */
public final class RegistrationTokens {
    /** What Synapse accepts as a token (its admin API docs): also keeps a typed value to one path segment. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
    private final AdminSession admin;
    private final ChangeGate gate;

    public RegistrationTokens(Host host, InstallConfig config, ChangeGate gate) {
        this.admin = new AdminSession(host, config, gate);
        this.gate = gate;
    }

    /** True when listing needs no change (the agent's admin account already has its token). */
    public boolean ready() {
        return admin.ready();
    }

    /** A new token for {@code uses} sign-ups (empty: unlimited), valid for {@code validFor} from {@code now} (empty: forever). */
    public RegistrationToken create(Optional<Integer> uses, Optional<Duration> validFor, Instant now) {
        AtomicReference<RegistrationToken> created = new AtomicReference<>();
        Optional<Long> expiry = validFor.map(d -> now.plus(d).toEpochMilli());
        String token = admin.token();
        String value = newValue(new SecretGenerator());
        gate.submit("create a registration token", () -> created.set(admin.api().createRegistrationToken(token, value, uses,
                expiry)));
        return created.get();
    }

    /**
     * A token's value: 16 letters and digits (about 95 bits). Not Synapse's own generator, whose alphabet has '-', '.',
     * '_' and '~': a token is read out, pasted into chat and typed into `token revoke`, where a leading '-' reads as
     * an option.
     */
    static String newValue(SecretGenerator generator) {
        return generator.alphanumeric(16);
    }

    public List<RegistrationToken> list() {
        return admin.api().registrationTokens(admin.token());
    }

    /** Deletes the token; false when the server has none of that value. */
    public boolean revoke(String value) {
        String token = checked(value);
        String adminToken = admin.token();
        AtomicReference<Boolean> deleted = new AtomicReference<>(false);
        gate.submit("revoke a registration token", () -> deleted.set(admin.api().deleteRegistrationToken(adminToken, token)));
        return deleted.get();
    }

    /** A token as typed: exit 2 (one line) when it cannot be one. */
    public static String checked(String value) {
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new ConfigException("TOKEN", "a registration token is 1-64 characters of A-Z a-z 0-9 . _ ~ - (got '"
                    + ConfigException.oneLine(String.valueOf(value)) + "')");
        }
        return value;
    }
}
