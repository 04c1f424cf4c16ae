package io.matrixinstall.data;

import io.matrixinstall.plan.FileSync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Backup directories for tests, made as an attacker or a careless copy would: real tar archives from the system's
 * tar, real owners (the tests run as root), and a manifest whose checksums are true for whatever was put there.
 */
public final class TestBackups {
    public static final String SERVER = "matrix.example.org";
    public static final String SIGNING_KEY = "ed25519 a_old " + "A".repeat(43) + "\n";

    private TestBackups() {}

    /** Runs a shell script ($1... = args); fails the test with its output when it fails. */
    public static String sh(String script, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + said);
        }
        return said;
    }

    /** {@code tar --numeric-owner -C SOURCE -cf ARCHIVE ARGS...} by the system's tar. */
    public static Path tar(Path archive, Path source, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tar", "--numeric-owner", "-C", source.toString(), "-cf", archive.toString()));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + said);
        }
        return archive;
    }

    /** A tree to archive: media_store/local_content/ab/upload, all 991's, as Synapse leaves it. */
    public static Path mediaSource(Path source) throws IOException, InterruptedException {
        Files.createDirectories(source.resolve("media_store/local_content/ab"));
        Files.writeString(source.resolve("media_store/local_content/ab/upload"), "the backup's upload");
        sh("chown -R 991:991 \"$1\"/media_store", source.toString());
        return source;
    }

    public static String sha256(byte[] content) {
        return FileSync.sha256(content);
    }

    /**
     * A backup directory {@code backup} (root, 0700, files 0600) of every required part, {@code mediaTar} as its
     * media.tar, the {@code more} parts beside, and a manifest for {@code serverName} with true checksums.
     */
    public static Path backup(Path backup, Path mediaTar, Map<String, String> more, String serverName)
            throws IOException, InterruptedException {
        Files.createDirectories(backup);
        Map<String, byte[]> parts = new TreeMap<>();
        for (String part : VerifyBackupStep.REQUIRED) {
            // A secret part holds what the generator makes (restore checks that); any other part, some text.
            parts.put(part, (part.startsWith("secrets/") ? "part" + part.replaceAll("[^A-Za-z0-9]", "") : "part " + part)
                    .getBytes(StandardCharsets.UTF_8));
        }
        parts.put(BackupLayout.SIGNING_KEY, SIGNING_KEY.getBytes(StandardCharsets.UTF_8));
        parts.put(BackupLayout.MEDIA, Files.readAllBytes(mediaTar));
        more.forEach((part, text) -> parts.put(part, text.getBytes(StandardCharsets.UTF_8)));
        List<Manifest.Part> listed = new ArrayList<>();
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            Path file = backup.resolve(part.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, part.getValue());
            listed.add(new Manifest.Part(part.getKey(), "/somewhere", part.getValue().length, sha256(part.getValue())));
        }
        Files.write(backup.resolve(Manifest.FILE), new Manifest(1, "matrix-install test", "2026-11-25T00:00:00Z", serverName,
                serverName, "1.0", "15.10", listed).toJson());
        sh("chown -R 0:0 \"$1\" && chmod -R go-rwx \"$1\"", backup.toString());
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rwx------"));
        return backup;
    }

    public static Path backup(Path backup, Path mediaTar, Map<String, String> more) throws IOException, InterruptedException {
        return backup(backup, mediaTar, more, SERVER);
    }

    /** Every path under {@code root}: type, owner, mode and content hash ("unchanged" means this is equal). */
    public static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                Map<String, Object> a = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                String what = Files.isSymbolicLink(path) ? "link " + Files.readSymbolicLink(path)
                        : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? "file " + sha256(Files.readAllBytes(path))
                        : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "dir" : "other";
                all.put(root.relativize(path).toString(), what + " " + a.get("uid") + ":" + a.get("gid") + " "
                        + Integer.toOctalString((Integer) a.get("mode")));
            }
        }
        return all;
    }
}
