package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import io.matrixinstall.steps.SecretFiles;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before `restore` changes anything: the directory is a backup only root can have written ({@link RootOnlyDirectory}),
 * its manifest parses, it belongs to this install's server name (a Matrix server name can never change), it holds
 * every part a restore needs, every part has the size and SHA-256 the manifest recorded, and its media archive holds
 * only what a media store may ({@link TarListing}). Any doubt is one line, exit 2, and the host untouched.
 *
 * <p>What the restore uses is what was checked: the small parts it takes (signing key, secrets, recorded
 * configuration) are read once here, hashed in the agent, and kept; the big ones are checked in place now (so a
 * corrupted backup changes nothing) and again as copies right before use ({@link #copyVerified}).
 */
public final class VerifyBackupStep implements Step {
    static final List<String> REQUIRED = requiredParts();
    private final Path backup;
    private Manifest manifest;
    private final Map<String, byte[]> taken = new HashMap<>();

    public VerifyBackupStep(Path backup) {
        this.backup = backup;
    }

    private static List<String> requiredParts() {
        List<String> parts = new ArrayList<>(List.of(BackupLayout.DATABASE, BackupLayout.MEDIA, BackupLayout.SIGNING_KEY));
        // An optional component's secret (TURN's) is only in backups taken while it was on; restored when there.
        for (Secret secret : Secret.values()) {
            if (!secret.optional()) {
                parts.add(BackupLayout.secret(secret));
            }
        }
        return List.copyOf(parts);
    }

    /** The parts a restore reads into the agent: kept as verified. */
    private static boolean taken(String part) {
        return part.equals(BackupLayout.SIGNING_KEY) || part.equals(BackupLayout.RECORDED_CONFIG) || part.startsWith("secrets/");
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
        Host host = context.host();
        manifest = open(host, backup);
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
        Map<Path, Manifest.Part> read = new LinkedHashMap<>();
        List<Path> hashed = new ArrayList<>();
        for (Manifest.Part part : manifest.parts()) {
            if (taken(part.name())) {
                read.put(backup.resolve(part.name()), part);
            } else {
                hashed.add(backup.resolve(part.name()));
            }
        }
        host.readAll(read.keySet()).forEach((file, content) -> {
            byte[] bytes = content.orElseThrow(() -> missing(file));
            check(file, FileSync.sha256(bytes), read.get(file));
            taken.put(read.get(file).name(), bytes);
        });
        Map<Path, String> digests = Checksums.sha256(host, hashed);
        for (Path file : hashed) {
            String digest = digests.get(file);
            if (digest == null) {
                throw missing(file);
            }
            check(file, digest, manifest.part(backup.relativize(file).toString()).orElseThrow());
        }
        Path media = backup.resolve(BackupLayout.MEDIA);
        TarListing.problem(host, media, MediaStagingStep.STORE).ifPresent(problem -> {
            throw new PreconditionException(media + " holds " + problem + ": a media archive may hold only regular files and"
                    + " directories under " + MediaStagingStep.STORE + "/; nothing was changed");
        });
        // The digests match what the backup recorded; what it recorded must still be secrets this install could write.
        for (Secret secret : Secret.values()) {
            String part = BackupLayout.secret(secret);
            if (taken.containsKey(part)) {
                SecretFiles.value(backup.resolve(part), secret, Optional.of(taken.get(part)));
            }
        }
        context.progress("backup verified: " + manifest.parts().size() + " parts, " + Sizes.human(manifest.totalBytes())
                + ", of " + manifest.serverName() + ", taken " + manifest.created() + " (Synapse " + manifest.synapseVersion()
                + ", PostgreSQL " + manifest.postgresVersion() + ")");
    }

    private static PreconditionException missing(Path file) {
        return new PreconditionException(file + " is missing or unreadable; the backup is incomplete; nothing was changed");
    }

    private static void check(Path file, String digest, Manifest.Part part) {
        if (!digest.equals(part.sha256())) {
            throw new PreconditionException(file + " is corrupted: its SHA-256 is not the one in " + Manifest.FILE
                    + " (" + digest.substring(0, 12) + "… instead of " + part.sha256().substring(0, 12) + "…); nothing was changed");
        }
    }

    /**
     * The backup's signing key and the secrets of {@code wanted} (the restored configuration's components) it holds,
     * as verified; without its database password where {@code withDatabasePassword} is false (see
     * {@link DataPlans#backupKeys}). An optional component's secret it lacks (taken while that was off) is generated.
     */
    KeyMaterial keys(boolean withDatabasePassword, List<Secret> wanted) {
        Map<Secret, String> secrets = new EnumMap<>(Secret.class);
        for (Secret secret : wanted) {
            boolean held = taken.containsKey(BackupLayout.secret(secret));
            if ((secret != Secret.POSTGRES_PASSWORD || withDatabasePassword) && (held || !secret.optional())) {
                secrets.put(secret, text(BackupLayout.secret(secret)));
            }
        }
        return new KeyMaterial(secrets, Optional.of(text(BackupLayout.SIGNING_KEY)));
    }

    private String text(String part) {
        byte[] bytes = taken.get(part);
        if (bytes == null) {
            throw new IllegalStateException(part + " was not verified (the backup is verified first)");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Copies a big part into {@code copy} (a new root-only file) and checks the copy's SHA-256 against the manifest:
     * what the restore then reads is what was checked, whatever happened to the backup since {@link #run}.
     */
    void copyVerified(PlanContext context, String part, Path copy) {
        Host host = context.host();
        Path source = backup.resolve(part);
        Command command = Commands.copyToNewFile(source, copy);
        try (TransferMeter meter = TransferMeter.watch(context, copy, "copy of " + part)) {
            host.exec(command).requireOk(command);
        }
        String expected = manifest.part(part).orElseThrow().sha256();
        String digest = Checksums.sha256(host, List.of(copy)).get(copy);
        if (!expected.equals(digest)) {
            host.remove(copy);
            throw new StepFailedException(source + " changed after it was verified: its SHA-256 is no longer the one in "
                    + Manifest.FILE + " (" + (digest == null ? "unreadable" : digest.substring(0, 12) + "…") + " instead of "
                    + expected.substring(0, 12) + "…); it was not used");
        }
    }

    /**
     * The manifest of a backup directory only root can have written, or one line (exit 2) saying why it is none:
     * checked before anything in it is read.
     */
    public static Manifest open(Host host, Path backup) {
        Path manifestFile = backup.resolve(Manifest.FILE);
        List<Path> paths = new ArrayList<>(RootOnlyDirectory.chain(backup));
        paths.add(manifestFile);
        Map<Path, Optional<FileState>> states = host.statAll(paths);
        if (states.get(backup).filter(FileState::symbolicLink).isPresent()) {
            throw new PreconditionException("--from: " + backup + " is a symbolic link (give the real path of the backup);"
                    + " nothing was changed");
        }
        if (states.get(backup).filter(FileState::directory).isEmpty()) {
            throw new PreconditionException(backup + " is not a directory on " + host.name() + "; nothing was changed");
        }
        if (states.get(manifestFile).isEmpty()) {
            throw new PreconditionException(backup + " is not a backup (no " + Manifest.FILE
                    + "; a backup that did not finish has none); nothing was changed");
        }
        RootOnlyDirectory.requireExisting(host, states, backup, "--from");
        byte[] json = host.read(backup.resolve(Manifest.FILE)).orElseThrow(() -> new PreconditionException(backup
                + " is not a backup (no " + Manifest.FILE + "); nothing was changed"));
        try {
            return Manifest.parse(json);
        } catch (IllegalArgumentException e) {
            throw new PreconditionException(backup.resolve(Manifest.FILE) + ": " + e.getMessage() + "; nothing was changed");
        }
    }
}
