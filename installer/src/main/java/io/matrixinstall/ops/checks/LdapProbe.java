package io.matrixinstall.ops.checks;

import io.matrixinstall.config.LdapSettings;
import io.matrixinstall.config.LdapSettings.Ldap;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * ldap.*: the directory answers from the server's machine (reached through the Host, as Synapse connects) and
 * accepts the bind DN's password; without a bind DN, an anonymous bind shows that it answers. Reads no entry.
 */
final class LdapProbe implements Probe {
    private static final int INVALID_CREDENTIALS = 49;

    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        Optional<Ldap> configured = LdapSettings.of(context.config());
        if (configured.isEmpty()) {
            return CheckResult.skip(check, "directory sign-in is off (ldap.uri is not set)");
        }
        Ldap ldap = configured.get();
        URI uri = URI.create(ldap.uri());
        boolean ldaps = uri.getScheme().equals("ldaps");
        int port = uri.getPort() > 0 ? uri.getPort() : ldaps ? 636 : 389;
        try {
            LdapBind.Result result = LdapBind.bind(context.host().reach(uri.getHost(), port), uri.getHost(), ldaps,
                    ldap.bindDn(), ldap.bindPassword());
            String who = ldap.searches() ? "the bind of " + ldap.bindDn() : "an anonymous bind";
            if (result.code() == 0) {
                return CheckResult.ok(check, ldap.uri() + " accepts " + who);
            }
            if (!ldap.searches()) {
                return CheckResult.ok(check, ldap.uri() + " answers (it refuses anonymous binds: code " + result.code() + ")");
            }
            return CheckResult.fail(check, ldap.uri() + " refuses " + who + (result.code() == INVALID_CREDENTIALS
                    ? ": invalid credentials" : ": result code " + result.code() + " " + result.diagnostic()).strip());
        } catch (IOException e) {
            return CheckResult.fail(check, ldap.uri() + " does not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
