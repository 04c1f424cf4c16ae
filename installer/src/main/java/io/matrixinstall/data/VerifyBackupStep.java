package io.matrixinstall.data;

import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import io.matrixinstall.steps.SecretFiles;
import io.matrixinstall.secrets.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before `restore` changes anything: the directory is a backup (its manifest parses), it belongs to this install's
 * server name (a Matrix server name can never change), it holds every part a restore needs, and every part still has
 * the size and SHA-256 the manifest recorded. Any doubt is one line, exit 2, and the host untouched.
 */
public final class VerifyBackupStep implements Step {
    static final List<String> REQUIRED = requiredParts();
    private final Path backup;
    private Manifest manifest;

    public VerifyBackupStep(Path backup) {
        this.backup = backup;
    }

    private static List<String> requiredParts() {
        List<String> parts = new ArrayList<>(List.of(BackupLayout.DATABASE, BackupLayout.MEDIA, BackupLayout.SIGNING_KEY));
        for (Secret secret : Secret.values()) {
            parts.add(BackupLayout.secret(secret));
        }
        return List.copyOf(parts);
    }

    @Override
    public String name() {
        return "verify backup";
    }

    /** The verified manifest (after this step ran). */
    public Manifest manifest() {
        return manifest;
    }

    public Path directory() {
        return backup;
    }

    @Override
    public void run(PlanContext context) {
        manifest = read(context.host(), backup);
        String configured = context.config().serverName();
        if (!manifest.serverName().equals(configured)) {
            throw new PreconditionException("the backup in " + backup + " is of server '" + manifest.serverName()
                    + "' but this install serves '" + configured + "'; a Matrix server name can never change, so it can only be"
                    + " restored onto an install of '" + manifest.serverName() + "'; nothing was changed");
        }
        for (String required : REQUIRED) {
            if (manifest.part(required).isEmpty()) {
                throw new PreconditionException("the backup in " + backup + " lacks " + required + "; nothing was changed");
            }
        }
        List<Path> files = manifest.parts().stream().map(p -> backup.resolve(p.name())).toList();
        Map<Path, String> digests = Checksums.sha256(context.host(), files);
        for (Manifest.Part part : manifest.parts()) {
            Path file = backup.resolve(part.name());
            String digest = digests.get(file);
            if (digest == null) {
                throw new PreconditionException(file + " is missing or unreadable; the backup is incomplete; nothing was changed");
            }
            if (!digest.equals(part.sha256())) {
                throw new PreconditionException(file + " is corrupted: its SHA-256 is not the one in " + Manifest.FILE
                        + " (" + digest.substring(0, 12) + "… instead of " + part.sha256().substring(0, 12) + "…); nothing was changed");
            }
        }
        // The digests match what the backup recorded; what it recorded must still be secrets this install could write.
        Map<Path, Secret> secrets = new LinkedHashMap<>();
        for (Secret secret : Secret.values()) {
            secrets.put(backup.resolve(BackupLayout.secret(secret)), secret);
        }
        Map<Path, Optional<byte[]>> contents = context.host().readAll(secrets.keySet());
        secrets.forEach((file, secret) -> SecretFiles.value(file, secret, contents.get(file)));
        context.progress("backup verified: " + manifest.parts().size() + " parts, " + Sizes.human(manifest.totalBytes())
                + ", of " + manifest.serverName() + ", taken " + manifest.created() + " (Synapse " + manifest.synapseVersion()
                + ", PostgreSQL " + manifest.postgresVersion() + ")");
    }

    /** The manifest of a backup directory, or one line (exit 2) saying why it is none. */
    public static Manifest read(Host host, Path backup) {
        if (host.stat(backup).filter(s -> s.directory()).isEmpty()) {
            throw new PreconditionException(backup + " is not a directory on " + host.name() + "; nothing was changed");
        }
        byte[] json = host.read(backup.resolve(Manifest.FILE)).orElseThrow(() -> new PreconditionException(backup
                + " is not a backup (no " + Manifest.FILE + "; a backup that did not finish has none); nothing was changed"));
        try {
            return Manifest.parse(json);
        } catch (IllegalArgumentException e) {
            throw new PreconditionException(backup.resolve(Manifest.FILE) + ": " + e.getMessage() + "; nothing was changed");
        }
    }
}
