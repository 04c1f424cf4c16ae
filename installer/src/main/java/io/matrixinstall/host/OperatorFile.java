package io.matrixinstall.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * A file the operator names (--config, tls.files.*, tls.acme.ca_certificate, synapse.extra_config, element.welcome_page, element.logo), read on
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
        return read(path, MAX_BYTES, true);
    }

    /**
     * At most {@code maxBytes} of a regular file that is itself no symbolic link: for files copied into what the
     * server publishes (Element's branding), where a link could hand out a file the operator never meant to.
     */
    public static byte[] ownBytes(Path path, int maxBytes) {
        return read(path, maxBytes, false);
    }

    private static byte[] read(Path path, int maxBytes, boolean followLinks) {
        LinkOption[] links = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        try {
            // Checked before opening: opening a FIFO would block until a writer comes.
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, links);
            if (attributes.isSymbolicLink()) {
                throw new IllegalArgumentException(path + " is a symbolic link; name the file itself");
            }
            if (!attributes.isRegularFile()) {
                throw new IllegalArgumentException(path + " is not a regular file"
                        + (attributes.isDirectory() ? " (a directory)" : ""));
            }
            if (attributes.size() > maxBytes) {
                throw tooLarge(path, maxBytes);
            }
            // NOFOLLOW again at open: a link swapped in since the check is refused, not followed.
            Set<OpenOption> options = followLinks ? Set.of(StandardOpenOption.READ)
                    : Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(path, options))) {
                byte[] bytes = in.readNBytes(maxBytes + 1); // a file growing since the check is still capped
                if (bytes.length > maxBytes) {
                    throw tooLarge(path, maxBytes);
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static IllegalArgumentException tooLarge(Path path, int maxBytes) {
        return new IllegalArgumentException(path + " is larger than "
                + (maxBytes >= 1 << 20 ? (maxBytes >> 20) + " MiB" : (maxBytes >> 10) + " KiB"));
    }
}
