package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.SshHost;
import io.matrixinstall.host.SshSettings;
import io.matrixinstall.host.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which host a command acts on: this machine, or with {@code --host} one reached over SSH. The one place that
 * builds a {@link Host} for a command ({@link RunFrame} opens and closes it), so every command that touches a host
 * works remotely the same way.
 */
public final class HostOptions {

    @Option(names = "--host", paramLabel = "[USER@]HOST[:PORT]",
            description = "Act on this host over SSH instead of on this machine, e.g. root@203.0.113.5 (user root by"
                    + " default; another user needs sudo without a password).")
    String host;

    @Option(names = "--identity", paramLabel = "FILE",
            description = "SSH private key for --host (default: the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa).")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file the host key of --host is checked against (default ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--accept-new-host-key",
            description = "Add the key of a host that is not in known_hosts yet (like OpenSSH's accept-new); a changed"
                    + " key is always refused.")
    boolean acceptNewHostKey;

    /** Whether the command acts on another host. */
    boolean remote() {
        return host != null;
    }

    /** LocalHost, or the SSH host --host names (connected, its key checked, logged in). Bad values: exit 2. */
    Host open(Path runDir) {
        if (host == null) {
            if (identity != null || knownHosts != null || acceptNewHostKey) {
                String option = identity != null ? "--identity" : knownHosts != null ? "--known-hosts" : "--accept-new-host-key";
                throw new ConfigException(option, "only means something with --host");
            }
            return new LocalHost(runDir);
        }
        SshTarget target;
        try {
            target = SshTarget.parse(host);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--host", e.getMessage());
        }
        if (identity != null && !Files.isRegularFile(identity)) {
            throw new ConfigException("--identity", "no such file: " + identity);
        }
        if (knownHosts != null && Files.exists(knownHosts) && !Files.isRegularFile(knownHosts)) {
            throw new ConfigException("--known-hosts", "not a file: " + knownHosts);
        }
        SshSettings defaults = SshSettings.defaults();
        SshSettings settings = new SshSettings(Optional.ofNullable(identity),
                knownHosts != null ? knownHosts : defaults.knownHosts(), acceptNewHostKey, runDir);
        return SshHost.connect(target, settings, Console.system()::problem);
    }
}
