package io.matrixinstall.steps;

import io.matrixinstall.plan.Wants;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Refuses to change the server name of an existing install: user IDs, rooms and the signing key are bound
 * to it for good. The installed name is read back from the host's homeserver.yaml or, when that is missing
 * or unreadable, from the signing key's file name ({@code <server>.signing.key}).
 */
public final class ServerNameGuard implements Step {

    @Override
    public String name() {
        return "server name";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.file(context.layout().homeserverConfig()).list(context.layout().filesDir());
    }

    @Override
    public void run(PlanContext context) {
        String wanted = context.config().serverName();
        String installed = context.host().read(context.layout().homeserverConfig())
                .map(bytes -> installedServerName(new String(bytes, StandardCharsets.UTF_8)))
                .orElse(null);
        if (installed != null && !installed.equals(wanted)) {
            throw refused(installed, wanted, "server_name: " + installed);
        }
        if (installed == null) {
            String wantedKey = context.layout().signingKey().getFileName().toString();
            List<String> keys = context.host().list(context.layout().filesDir()).stream()
                    .filter(name -> name.endsWith(KEY_SUFFIX)).toList();
            if (!keys.isEmpty() && !keys.contains(wantedKey)) {
                String host = keys.get(0).substring(0, keys.get(0).length() - KEY_SUFFIX.length());
                throw refused(host, wanted, "the server name whose host is " + host);
            }
        }
    }

    private static final String KEY_SUFFIX = ".signing.key";

    private static ConfigException refused(String installed, String wanted, String fix) {
        return new ConfigException("server_name", "this host already serves '" + installed
                + "' and a Matrix server name can never change (asked for '" + wanted + "'); set " + fix);
    }

    static String installedServerName(String homeserverYaml) {
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(homeserverYaml);
            if (root instanceof Map<?, ?> map && map.get("server_name") != null) {
                return map.get("server_name").toString();
            }
            return null;
        } catch (YAMLException e) {
            return null; // unreadable: the config step will rewrite it; the key file name still guards the name
        }
    }
}
