package io.matrixinstall.component;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secret;
import java.util.List;

/** PostgreSQL: the db service of the matrix project, its password a mounted secret file. */
final class Postgres implements Component {
    static final String SERVICE = "db";

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return true;
    }

    @Override
    public List<ComposeService> services(Layout layout) {
        InstallConfig config = layout.config();
        return List.of(new ComposeService(SERVICE, config.projects().matrix(), layout.composeFile(), config.images().postgres()));
    }

    @Override
    public List<Secret> secrets() {
        return List.of(Secret.POSTGRES_PASSWORD);
    }

    @Override
    public List<Leftover> obsolete(Layout layout) {
        // Older installs handed PostgreSQL its password through this env file (now a mounted secret file).
        return List.of(Leftover.file(layout.secretsDir().resolve("postgres.env")).because("replaced by POSTGRES_PASSWORD_FILE"));
    }
}
