package io.matrixinstall.tls;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Publishes HTTP-01 answers as files in the directory a web server serves at
 * {@code /.well-known/acme-challenge/} (nginx: {@code alias}), through the {@link Host}, so the agent
 * does it the same way on a local or a remote machine. Files are 0644 so the web server's workers can
 * read them, and replaced atomically so a half-written answer is never served.
 */
public final class WebrootChallengePublisher implements ChallengePublisher {
    /** RFC 8555 tokens are base64url; anything else could escape the directory, so it is refused. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    private final Host host;
    private final Path challengeDirectory;

    public WebrootChallengePublisher(Host host, Path challengeDirectory) {
        this.host = host;
        this.challengeDirectory = challengeDirectory;
    }

    public Path challengeDirectory() {
        return challengeDirectory;
    }

    @Override
    public void publish(String token, String keyAuthorization) {
        Path file = fileFor(token);
        if (host.stat(challengeDirectory).isEmpty()) {
            host.createDirectory(challengeDirectory, Ownership.ROOT, 0755);
        }
        host.writeAtomically(file, keyAuthorization.getBytes(StandardCharsets.US_ASCII), Ownership.ROOT, 0644);
    }

    @Override
    public void withdraw(String token) {
        host.remove(fileFor(token));
    }

    private Path fileFor(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("not an ACME token: " + token);
        }
        return challengeDirectory.resolve(token);
    }
}
