package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.ops.RecordedConfig;
import io.matrixinstall.ops.StateDir;
import io.matrixinstall.plan.PreconditionException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The install settings, on the commands that write the install from them (see the table in docs/operating.md).
 * Where the configuration comes from: with {@code --config} or {@code --domain} the command describes the install
 * itself (file, then flags); otherwise it starts from what `up` recorded in the state directory, and the flags
 * given override that for the run.
 */
public final class InstallOptions {

    @Mixin
    StateOptions state;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (matrix-install.yaml).")
    Path configFile;

    @Option(names = "--domain", paramLabel = "HOST", description = "Public host name, e.g. matrix.example.org.")
    String domain;

    @Option(names = "--server-name", paramLabel = "NAME", description = "Matrix server name (default: the domain).")
    String serverName;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "Operator e-mail (certificates).")
    String email;

    @Option(names = "--base-dir", paramLabel = "DIR", description = "Matrix stack directory (default /data/matrix).")
    String baseDir;

    @Option(names = "--element-brand", paramLabel = "NAME", description = "Name Element Web shows.")
    String elementBrand;

    @Option(names = "--tls", paramLabel = "MODE",
            description = "TLS mode: acme (default), nginx-certbot, files, external, self-signed or none.")
    String tls;

    @Option(names = "--acme-staging", description = "Use Let's Encrypt's staging CA (test certificates).")
    boolean acmeStaging;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. --set ports.https=8443.")
    Map<String, String> settings = new LinkedHashMap<>();

    public StateDir stateDir() {
        return state.stateDir();
    }

    /** The configuration of this run, read on this machine (render, config check). */
    public InstallConfig load() {
        return load(new LocalHost());
    }

    /** The configuration of this run; exit 2 (one line) on a host where nothing is installed and none is given. */
    public InstallConfig load(Host host) {
        return load(host, Optional::empty);
    }

    /**
     * Like {@link #load(Host)}, but where nothing is installed and no configuration is given, from {@code fallback}
     * (`restore` onto a fresh host: the configuration recorded in the backup), the flags given still overriding it.
     */
    public InstallConfig load(Host host, Supplier<Optional<Map<String, String>>> fallback) {
        Map<String, String> flags = flags();
        if (configFile != null || flags.containsKey("domain")) {
            return ConfigLoader.load(Optional.ofNullable(configFile), flags);
        }
        StateDir stateDir = stateDir();
        Map<String, String> recorded = RecordedConfig.read(host, stateDir).or(fallback)
                .orElseThrow(() -> new PreconditionException(RecordedConfig.nothingInstalled(host, stateDir)));
        return ConfigLoader.load(recorded, Optional.empty(), flags);
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        putIfSet(flags, "domain", domain);
        putIfSet(flags, "server_name", serverName);
        putIfSet(flags, "email", email);
        putIfSet(flags, "base_dir", baseDir);
        putIfSet(flags, "element.brand", elementBrand);
        putIfSet(flags, "tls.mode", tls);
        putIfSet(flags, "tls.acme.staging", acmeStaging ? "true" : null);
        return flags;
    }

    private static void putIfSet(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
