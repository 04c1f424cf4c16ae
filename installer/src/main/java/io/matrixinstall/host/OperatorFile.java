package io.matrixinstall.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file the operator names (--config, tls.files.*, tls.acme.ca_certificate, synapse.extra_config), read on
 * the operator's machine with a size cap: only a regular file of at most {@link #MAX_BYTES}, so a device
 * ({@code /dev/zero}), a FIFO or a huge file is one line of refusal, not a hang or an OutOfMemoryError.
 * Below config and tls, which both read such files (config's YamlFile names the key in its message).
 */
public final class OperatorFile {
    /** Far above any certificate chain, key or configuration file. */
    public static final int MAX_BYTES = 1 << 20;

    private OperatorFile() {}

    /** The file as UTF-8 text; every problem is an {@link IllegalArgumentException} with a one-line message. */
    public static String text(Path path) {
        byte[] bytes = bytes(path);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(path + " is not UTF-8 text");
        }
    }

    /** At most {@link #MAX_BYTES} of a regular file (symbolic links followed, as certbot's live/ has them). */
    public static byte[] bytes(Path path) {
        try {
            // Checked before opening: opening a FIFO would block until a writer comes.
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new IllegalArgumentException(path + " is not a regular file"
                        + (attributes.isDirectory() ? " (a directory)" : ""));
            }
            if (attributes.size() > MAX_BYTES) {
                throw tooLarge(path);
            }
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1); // a file growing since the check is still capped
                if (bytes.length > MAX_BYTES) {
                    throw tooLarge(path);
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static IllegalArgumentException tooLarge(Path path) {
        return new IllegalArgumentException(path + " is larger than " + (MAX_BYTES >> 20) + " MiB");
    }
}
