package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.config.ConfigKey;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The matrix Compose project that PostgreSQL, Synapse and Element share: base_dir, the root-only secrets directory
 * and docker-compose.yml (its services are theirs). Always on.
 */
final class MatrixProject implements Component {
    @Override
    public String name() {
        return "matrix project";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return true;
    }

    @Override
    public List<ManagedDirectory> directories(Layout layout) {
        return List.of(new ManagedDirectory(layout.baseDir(), ROOT, Layout.DIR),
                new ManagedDirectory(layout.secretsDir(), ROOT, Layout.PRIVATE_DIR));
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        return List.of(Layout.file(layout.composeFile(), "compose/docker-compose.yml.ftl", ROOT, Layout.PUBLIC_FILE, Set.of()));
    }

    @Override
    public Map<String, Path> configuredDirectories(InstallConfig config, boolean systemd) {
        return Map.of(ConfigKey.BASE_DIR.key(), config.baseDir());
    }
}
