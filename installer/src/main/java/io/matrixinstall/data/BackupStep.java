package io.matrixinstall.data;

import io.matrixinstall.component.Components;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import io.matrixinstall.secrets.Secret;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `backup`: one set in one root-only directory (0700, every file 0600) on the host: the database ({@code pg_dump -Fc}
 * without the rows of e2e_one_time_keys_json), the media store as a tar stream, the signing key, every secret of the
 * enabled components, the rendered configuration and the recorded install configuration, then the manifest with each
 * part's size and SHA-256. The database comes first and the media after it: every upload the dump refers to is in the tar (later
 * uploads are harmless extras), while Synapse keeps serving. A failed backup removes its directory.
 */
public final class BackupStep implements Step {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final Path target;
    private final StateDir state;
    private final String product;
    private Manifest written;

    /** @param target the backup's own directory (absent or empty); null for a new one under {base_dir}/backups */
    public BackupStep(Path target, StateDir state, String product) {
        this.target = target;
        this.state = state;
        this.product = product;
    }

    public static Path defaultDirectory(PlanContext context) {
        return context.layout().backupsDir().resolve("backup-" + STAMP.format(Instant.now()));
    }

    @Override
    public String name() {
        return "backup";
    }

    private Path resolved;

    /** The directory this run wrote (or would write), once it ran. */
    public Path directory() {
        return resolved;
    }

    public java.util.Optional<Manifest> manifest() {
        return java.util.Optional.ofNullable(written);
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        Layout layout = context.layout();
        if (host.stat(layout.composeFile()).isEmpty()) {
            throw new PreconditionException("nothing installed at " + layout.baseDir() + " (no " + layout.composeFile()
                    + "): nothing to back up");
        }
        Path dir = target != null ? target : defaultDirectory(context);
        resolved = dir;
        String option = target != null ? "--to" : "backup directory";
        // Every secret and message goes there: no other user may be able to read it, or swap a name under root.
        RootOnlyDirectory.requireCreatable(host, dir, option);
        if (host.stat(dir).isPresent() && !host.list(dir).isEmpty()) {
            throw new PreconditionException(dir + " is not empty: a backup goes into a new or empty directory");
        }
        Map<String, Path> parts = new LinkedHashMap<>();
        try {
            context.gate().submit("create backup directory " + dir + " (root:root 0700)", () -> {
                if (target == null) {
                    host.createDirectory(dir.getParent(), Ownership.ROOT, Layout.PRIVATE_DIR);
                }
                host.createDirectory(dir, Ownership.ROOT, Layout.PRIVATE_DIR);
                // Made by name: what is there now must be what was checked (nobody raced a directory of theirs in).
                RootOnlyDirectory.requireExisting(host, dir, option);
                if (!host.list(dir).isEmpty()) {
                    throw new PreconditionException(dir + " is not empty: a backup goes into a new or empty directory");
                }
            });
            context.gate().submit("dump the database to " + dir.resolve(BackupLayout.DATABASE)
                    + " (pg_dump -Fc, without the rows of " + SynapseDatabase.ONE_TIME_KEYS + ")", () ->
                    SynapseDatabase.running(context, "back up the database").dump(dir.resolve(BackupLayout.DATABASE)));
            parts.put(BackupLayout.DATABASE, Path.of("database " + SynapseDatabase.NAME));
            context.gate().submit("archive " + layout.mediaStore() + " to " + dir.resolve(BackupLayout.MEDIA), () ->
                    archiveMedia(context, dir.resolve(BackupLayout.MEDIA)));
            parts.put(BackupLayout.MEDIA, layout.mediaStore());
            Map<String, Path> small = smallParts(host, layout, state);
            context.gate().submit("copy the signing key, " + Components.secrets(layout.config()).size()
                    + " secrets, the rendered configuration and " + state.config() + " to " + dir, () -> small.forEach((name, source) -> copy(host, source, dir, name)));
            parts.putAll(small);
            context.gate().submit("write " + dir.resolve(Manifest.FILE) + " (versions, server name, sizes, SHA-256 of each part)",
                    () -> writeManifest(context, dir, parts));
        } catch (RuntimeException e) {
            if (context.gate().applies() && host.stat(dir).isPresent()) {
                // Half a backup must never be mistaken for one.
                Command rm = Commands.removeTree(dir);
                host.exec(rm);
            }
            throw e;
        }
    }

    /**
     * The small parts by name, each with the file it is copied from: the signing key, the secrets of the enabled
     * components (each component declares its own: TURN's while it is on), the rendered files that exist, the recorded
     * configuration.
     */
    static Map<String, Path> smallParts(Host host, Layout layout, StateDir state) {
        Map<String, Path> small = new LinkedHashMap<>();
        small.put(BackupLayout.SIGNING_KEY, layout.signingKey());
        for (Secret secret : Components.secrets(layout.config())) {
            small.put(BackupLayout.secret(secret), layout.secretsDir().resolve(secret.fileName()));
        }
        for (RenderedFile file : Components.files(layout)) {
            if (host.stat(file.path()).isPresent()) {
                small.put(BackupLayout.config(file.path()), file.path());
            }
        }
        small.put(BackupLayout.RECORDED_CONFIG, state.config());
        return small;
    }

    private static void archiveMedia(PlanContext context, Path file) {
        Command tar = Commands.tarCreate(context.layout().filesDir(), context.layout().mediaStore().getFileName().toString());
        ExecResult result;
        try (TransferMeter meter = TransferMeter.watch(context, file, "media archive")) {
            result = context.host().execToFile(tar, file, Ownership.ROOT, Layout.PRIVATE_FILE);
        }
        result.requireOk(tar);
    }

    private static void copy(Host host, Path source, Path dir, String name) {
        byte[] content = host.read(source).orElseThrow(() -> new StepFailedException(
                "cannot back up " + source + ": it does not exist"));
        Path to = dir.resolve(name);
        if (!to.getParent().equals(dir)) {
            host.createDirectory(to.getParent(), Ownership.ROOT, Layout.PRIVATE_DIR);
        }
        host.writeAtomically(to, content, Ownership.ROOT, Layout.PRIVATE_FILE);
    }

    private void writeManifest(PlanContext context, Path dir, Map<String, Path> sources) {
        List<String> names = new ArrayList<>(sources.keySet());
        List<Path> files = names.stream().map(dir::resolve).toList();
        Map<Path, String> digests = Checksums.sha256(context.host(), files);
        if (digests.size() != files.size()) {
            throw new StepFailedException("cannot take the SHA-256 of every part in " + dir);
        }
        List<Long> sizes = Checksums.sizes(context.host(), files);
        List<Manifest.Part> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add(new Manifest.Part(names.get(i), sources.get(names.get(i)).toString(), sizes.get(i), digests.get(files.get(i))));
        }
        written = new Manifest(Manifest.FORMAT, product, Instant.now().toString(), context.config().serverName(),
                context.config().domain(), Versions.synapse(context), SynapseDatabase.running(context, "read its version")
                .serverVersion(), parts);
        context.host().writeAtomically(dir.resolve(Manifest.FILE), written.toJson(), Ownership.ROOT, Layout.PRIVATE_FILE);
    }
}
