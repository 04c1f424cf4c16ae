package io.matrixinstall.cli;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.users.Localpart;
import io.matrixinstall.users.UserAccounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `up --admin NAME`: the first admin account, created once Synapse is healthy, and how to log in with it. */
final class FirstAdmin {
    private final InstallConfig config;
    private final Localpart user;
    private final String password;

    private FirstAdmin(InstallConfig config, Localpart user, String password) {
        this.config = config;
        this.user = user;
        this.password = password;
    }

    /** Checks the name and gets the password (file or terminal) before `up` changes anything. */
    static FirstAdmin ask(InstallConfig config, String name, Path passwordFile) {
        Localpart user = Localpart.of(name, config.serverName());
        return new FirstAdmin(config, user, PasswordInput.read(passwordFile, "--admin-password-file", user.userId()));
    }

    /**
     * Registers the admin through the gate (a dry run lists it); an existing account is left as it is. The lines to
     * say after `up`'s closing line.
     */
    List<String> create(Host host, ChangeGate gate) {
        if (!gate.applies()) {
            gate.submit("register " + user.userId() + " (admin)", () -> { });
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        boolean added = new UserAccounts(host, config, gate).add(user, password, true);
        if (!added) {
            lines.add("admin " + user.userId() + " already exists: left as it is");
        }
        lines.add("log in with Element at " + elementUrl(config) + " as " + user.userId());
        return lines;
    }

    /** Where Element answers: the public base URL, or with no proxy (tls none) its loopback port. */
    static String elementUrl(InstallConfig config) {
        return TlsModes.of(config).elementUrl(config);
    }
}
