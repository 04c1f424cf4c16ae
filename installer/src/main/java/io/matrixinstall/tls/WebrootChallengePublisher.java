package io.matrixinstall.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Publishes challenges as files under a web server's document root, the way certbot's {@code --webroot}
 * does: {@code <webroot>/.well-known/acme-challenge/<token>}, mode 0644 so the web server can read them.
 */
public final class WebrootChallengePublisher implements ChallengePublisher {
    /** RFC 8555 tokens are base64url; anything else could escape the directory, so it is refused. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    private final Path challengeDirectory;

    public WebrootChallengePublisher(Path webroot) {
        this.challengeDirectory = webroot.resolve(".well-known").resolve("acme-challenge");
    }

    /** Where the token files go: {@code <webroot>/.well-known/acme-challenge}. */
    public Path challengeDirectory() {
        return challengeDirectory;
    }

    @Override
    public void publish(String token, String keyAuthorization) {
        Path file = fileFor(token);
        try {
            createReadableDirectories();
            // Written beside and moved, so the web server never serves a half-written answer.
            Path partial = Files.createTempFile(challengeDirectory, ".partial-", "");
            Files.writeString(partial, keyAuthorization, StandardCharsets.US_ASCII);
            if (Files.getFileStore(partial).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the ACME challenge " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void withdraw(String token) {
        Path file = fileFor(token);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the ACME challenge " + file + ": " + e.getMessage(), e);
        }
    }

    /** 0755 whatever the umask: the web server (another user, often in a container) must reach the files. */
    private void createReadableDirectories() throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path dir = challengeDirectory; dir != null && !Files.isDirectory(dir); dir = dir.getParent()) {
            missing.push(dir);
        }
        for (Path dir : missing) {
            Files.createDirectory(dir);
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private Path fileFor(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("not an ACME challenge token: " + token);
        }
        return challengeDirectory.resolve(token);
    }
}
