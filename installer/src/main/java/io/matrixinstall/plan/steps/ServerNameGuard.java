package io.matrixinstall.plan.steps;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Refuses to change the server name of an existing install: user IDs, rooms and the signing key are bound
 * to it for good. The installed name is read back from the host's homeserver.yaml.
 */
public final class ServerNameGuard implements Step {

    @Override
    public String name() {
        return "server name";
    }

    @Override
    public void run(PlanContext context) {
        context.host().read(context.layout().homeserverConfig()).ifPresent(bytes -> {
            String installed = installedServerName(new String(bytes, StandardCharsets.UTF_8));
            if (installed != null && !installed.equals(context.config().serverName())) {
                throw new ConfigException("server_name", "this host already serves '" + installed
                        + "' and a Matrix server name can never change (asked for '" + context.config().serverName()
                        + "'); set server_name: " + installed);
            }
        });
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
