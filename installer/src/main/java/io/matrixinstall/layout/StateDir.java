package io.matrixinstall.layout;

import io.matrixinstall.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where an install keeps what it is, independent of base_dir: the recorded configuration and the audit
 * history. One fixed place ({@code /etc/matrix-install}) so every command finds it without flags; the
 * {@code --state-dir} option or MATRIX_INSTALL_STATE_DIR moves it (tests keep several installs apart).
 */
public record StateDir(Path dir) {
    public static final Path DEFAULT = Path.of("/etc/matrix-install");
    public static final String ENV = "MATRIX_INSTALL_STATE_DIR";

    public StateDir {
        if (!dir.isAbsolute()) {
            throw new ConfigException("state-dir", "must be an absolute path (got '" + dir + "')");
        }
        dir = dir.normalize();
    }

    /** The option wins, then the environment, then the default. */
    public static StateDir resolve(Optional<Path> option, Map<String, String> environment) {
        return new StateDir(option.or(() -> Optional.ofNullable(environment.get(ENV)).filter(s -> !s.isBlank()).map(Path::of))
                .orElse(DEFAULT));
    }

    public static StateDir resolve(Optional<Path> option) {
        return resolve(option, System.getenv());
    }

    /** The configuration `up` ran with last (root 0600): every other command starts from it. */
    public Path config() {
        return dir.resolve("matrix-install.yaml");
    }

    /** One JSON line per operation that changed the host (see {@link AuditHistory}). */
    public Path history() {
        return dir.resolve("history.jsonl");
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
