package io.matrixinstall.data;

import io.matrixinstall.secrets.Secret;
import java.nio.file.Path;

/** The names of a backup's parts inside its directory: the one place `backup` and `restore` agree on them. */
public final class BackupLayout {
    public static final String DATABASE = "database.dump";
    public static final String MEDIA = "media.tar";
    public static final String SIGNING_KEY = "signing.key";
    public static final String RECORDED_CONFIG = "install/matrix-install.yaml";

    private BackupLayout() {}

    public static String secret(Secret secret) {
        return "secrets/" + secret.fileName();
    }

    /** A rendered configuration file, kept for the record (restore renders its own from the configuration). */
    public static String config(Path rendered) {
        return "config/" + rendered.getFileName();
    }
}
