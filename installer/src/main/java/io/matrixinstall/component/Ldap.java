package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.SYNAPSE;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.config.LdapSettings;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Directory sign-in (ldap.*): the matrix-synapse-ldap3 module in homeserver.yaml, and the bind DN's password in a
 * file of its own that the module reads ({@code bind_password_file}), so it is in no other file and in no container's
 * environment. The file is rendered like Synapse's other files: Synapse's config check sees it, and a new password
 * recreates Synapse (the module reads it at start). Removed once the bind DN or the whole directory is switched off.
 */
final class Ldap implements Component {
    /** Where Synapse sees {@link #bindPassword} (base_dir/files is /data in its container). */
    static final String CONTAINER_DIR = "/data/";

    @Override
    public String name() {
        return "ldap";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return LdapSettings.of(config).isPresent();
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return "ldap.uri is not set";
    }

    /** The bind password's file: 991:991 0600, next to homeserver.yaml. */
    static Path bindPassword(Layout layout) {
        return layout.filesDir().resolve("ldap_bind_password");
    }

    private static boolean searches(InstallConfig config) {
        return LdapSettings.of(config).filter(LdapSettings.Ldap::searches).isPresent();
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        return searches(layout.config()) ? List.of(Layout.file(bindPassword(layout), "matrix/ldap_bind_password.ftl", SYNAPSE,
                Layout.PRIVATE_FILE, Set.of(Synapse.SERVICE))) : List.of();
    }

    @Override
    public Map<String, Object> templateValues(InstallConfig config) {
        LdapSettings.Ldap ldap = LdapSettings.of(config).orElseThrow();
        return Map.of("ldap", Map.of("uri", ldap.uri(), "base", ldap.base(), "bind_dn", ldap.bindDn(),
                "bind_password", ldap.bindPassword(), "bind_password_file", CONTAINER_DIR + "ldap_bind_password",
                "filter", ldap.filter(), "attributes", ldap.attributes()));
    }

    @Override
    public List<Leftover> leftovers(Layout layout) {
        return List.of(Leftover.file(bindPassword(layout)));
    }

    @Override
    public List<Leftover> obsolete(Layout layout) {
        return searches(layout.config()) ? List.of()
                : List.of(Leftover.file(bindPassword(layout)).because("ldap.bind_dn is not set"));
    }

    @Override
    public List<String> statusLines(StatusSource source) {
        return LdapSettings.of(source.config()).map(ldap -> List.of("ldap: sign-in against " + ldap.uri() + " under "
                + ldap.base() + (ldap.searches() ? " (searching as " + ldap.bindDn() + ")" : ""))).orElse(List.of());
    }
}
