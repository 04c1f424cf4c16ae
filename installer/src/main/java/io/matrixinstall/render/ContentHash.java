package io.matrixinstall.render;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short SHA-256 over what a running service was made from: text and named files, each file's path and
 * content separated so that moving bytes between two files changes the hash. Used for the compose inputs
 * labels and for nginx's loaded-files record.
 */
public final class ContentHash {
    private final MessageDigest digest;

    public ContentHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public ContentHash text(String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public ContentHash file(Path path, byte[] content) {
        digest.update(path.toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content);
        digest.update((byte) 0);
        return this;
    }

    /** The first 32 hex digits: plenty to tell two inputs apart, short enough for a label. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    }
}
