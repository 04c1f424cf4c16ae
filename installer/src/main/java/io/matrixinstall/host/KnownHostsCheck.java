package io.matrixinstall.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * The host key check, against an OpenSSH known_hosts file (hashed entries too: SSHJ matches them). It runs during
 * the key exchange, before authentication, so nothing runs on a host whose key is refused. An unknown host is
 * refused with its fingerprint, unless the operator accepts new keys (OpenSSH's accept-new): then its key is
 * appended. A changed key is always refused. What it refused is kept as one line for the error.
 */
final class KnownHostsCheck extends OpenSSHKnownHosts {
    private final Path file;
    private final boolean acceptNew;
    private String refusal;
    private String accepted;

    KnownHostsCheck(Path file, boolean acceptNew) throws IOException {
        super(file.toFile());
        this.file = file;
        this.acceptNew = acceptNew;
    }

    /** Why the key was refused, one line; null when it was not. */
    String refusal() {
        return refusal;
    }

    /** The line added for a newly accepted host, or null. */
    String accepted() {
        return accepted;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        // A known host offering a key type we have no entry for: OpenSSH asks; we refuse rather than add a second key.
        for (KnownHostEntry entry : entries()) {
            try {
                if (entry.appliesTo(hostname)) {
                    refusal = hostname + " offers a " + describe(key) + " but " + file + " has another key type for it;"
                            + " refusing to connect (remove its old entry with ssh-keygen -R '" + hostname + "' -f " + file
                            + " only if you know why it changed)";
                    return false;
                }
            } catch (IOException e) {
                // an unreadable entry applies to nothing
            }
        }
        if (!acceptNew) {
            refusal = "unknown host key for " + hostname + ": " + describe(key) + " is not in " + file
                    + "; if that is the host's key, run again with --accept-new-host-key to add it";
            return false;
        }
        String line = hostname + " " + KeyType.fromKey(key) + " "
                + Base64.getEncoder().encodeToString(blob(key)) + "\n";
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null && !Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            refusal = "cannot add the host key of " + hostname + " to " + file + ": " + e.getMessage();
            return false;
        }
        accepted = "added " + describe(key) + " for " + hostname + " to " + file;
        return true;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        refusal = "HOST KEY CHANGED for " + hostname + ": it now offers " + describe(key) + ", not the key " + file
                + " has for it; refusing to connect (someone may be intercepting the connection; if the host was"
                + " reinstalled, remove the old entry with ssh-keygen -R '" + hostname + "' -f " + file + ")";
        return false;
    }

    /** "ssh-ed25519 key SHA256:…", the fingerprint as OpenSSH shows it. */
    static String describe(PublicKey key) {
        return KeyType.fromKey(key) + " key " + fingerprint(key);
    }

    static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

}
