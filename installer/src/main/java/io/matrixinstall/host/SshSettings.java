package io.matrixinstall.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to connect and authenticate: the key (--identity, else the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa that
 * exist), the known_hosts file (--known-hosts, else ~/.ssh/known_hosts), whether an unknown host's key is added, and
 * the host's lock and scratch directory (LocalHost's, so agents on and off the host share one lock).
 */
public record SshSettings(Optional<Path> identity, Path knownHosts, boolean acceptNewHostKey, Path runDir) {

    public static Path sshDirectory() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    public static SshSettings defaults() {
        return new SshSettings(Optional.empty(), sshDirectory().resolve("known_hosts"), false, LocalHost.DEFAULT_RUN_DIR);
    }

    /** The keys to offer, in order. */
    List<Path> keys() {
        return identity.map(List::of).orElseGet(() -> List.of("id_ed25519", "id_ecdsa", "id_rsa").stream()
                .map(sshDirectory()::resolve).filter(java.nio.file.Files::isRegularFile).toList());
    }
}
