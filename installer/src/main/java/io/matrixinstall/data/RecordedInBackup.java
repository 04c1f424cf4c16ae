package io.matrixinstall.data;

import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PreconditionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * `restore` on a host where nothing is installed and no configuration is given: the install configuration the backup
 * recorded, taken only once checked (its SHA-256 is the manifest's, and it is of the manifest's server name), without
 * its images (a backup brings data, not what root runs: this agent's default images are used), and saying every
 * setting it takes.
 */
public final class RecordedInBackup {
    private static final String IMAGES = "images.";

    private RecordedInBackup() {}

    /** The settings to install with; {@code say} hears which were taken and which were not. */
    public static Map<String, String> settings(Host host, Path backup, Manifest manifest, Consumer<String> say) {
        Path file = backup.resolve(BackupLayout.RECORDED_CONFIG);
        Manifest.Part part = manifest.part(BackupLayout.RECORDED_CONFIG).orElseThrow(() -> new PreconditionException(
                "the backup in " + backup + " records no install configuration (" + BackupLayout.RECORDED_CONFIG + "); give one"
                        + " with --config or --domain; nothing was changed"));
        byte[] bytes = host.read(file).orElseThrow(() -> new PreconditionException(file + " is missing; give a configuration"
                + " with --config or --domain; nothing was changed"));
        if (!FileSync.sha256(bytes).equals(part.sha256())) {
            throw new PreconditionException(file + " is corrupted: its SHA-256 is not the one in " + Manifest.FILE
                    + "; nothing was changed");
        }
        Map<String, String> recorded = ConfigLoader.parseSettings(file.toString(), new String(bytes, StandardCharsets.UTF_8));
        Map<String, String> taken = new LinkedHashMap<>();
        Map<String, String> images = new TreeMap<>();
        recorded.forEach((key, value) -> (key.startsWith(IMAGES) ? images : taken).put(key, value));
        InstallConfig config = ConfigLoader.load(taken, Optional.empty(), Map.of());
        if (!config.serverName().equals(manifest.serverName())) {
            throw new PreconditionException("the configuration recorded in " + backup + " is of server '" + config.serverName()
                    + "' but the backup's manifest names '" + manifest.serverName() + "'; a backup that disagrees with itself"
                    + " is not restored; nothing was changed");
        }
        say.accept("nothing is installed on " + host.name() + " and no configuration was given: installing with the settings"
                + " recorded in the backup (checked against its manifest): " + listed(new TreeMap<>(taken)) + "; images: this"
                + " agent's defaults" + (images.isEmpty() ? "" : " (not the backup's " + listed(images) + ")"));
        return taken;
    }

    private static String listed(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
