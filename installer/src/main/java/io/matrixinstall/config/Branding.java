package io.matrixinstall.config;

import io.matrixinstall.host.OperatorFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Element's branding: the operator's welcome page and logo (copied into the install and served by Element) and the
 * default theme. The files are read on the operator's machine when the configuration is loaded, and checked there:
 * a regular file, not a link, within its size, and of its type by content.
 *
 * @param welcomePage {@code element.welcome_page}, named {@code welcome.html} in the install
 * @param logo        {@code element.logo}, named {@code logo.<type>} after its content
 * @param theme       {@code element.default_theme}
 */
public record Branding(Optional<File> welcomePage, Optional<File> logo, Optional<String> theme) {
    public static final Branding NONE = new Branding(Optional.empty(), Optional.empty(), Optional.empty());
    static final int MAX_WELCOME_PAGE = 1 << 20;
    static final int MAX_LOGO = 512 << 10;
    private static final Pattern TAG = Pattern.compile("<[A-Za-z!]");
    private static final Pattern SCRIPT = Pattern.compile("<script|\\son[a-z]+\\s*=|javascript:", Pattern.CASE_INSENSITIVE);

    /** A copied file: its name in the install and its bytes. */
    public record File(String name, byte[] content) {
        @Override
        public String toString() {
            return "File[" + name + ", " + content.length + " bytes]";
        }
    }

    /** Whether any file is copied in (the install then has the branding directory). */
    public boolean hasFiles() {
        return welcomePage.isPresent() || logo.isPresent();
    }

    static Branding read(Map<String, String> values) {
        Optional<File> welcome = Optional.ofNullable(values.get(ConfigKey.ELEMENT_WELCOME_PAGE.key()))
                .map(path -> welcomePage(ConfigKey.ELEMENT_WELCOME_PAGE.key(), Path.of(path)));
        Optional<File> logo = Optional.ofNullable(values.get(ConfigKey.ELEMENT_LOGO.key()))
                .map(path -> logo(ConfigKey.ELEMENT_LOGO.key(), Path.of(path)));
        Optional<String> theme = Optional.ofNullable(values.get(ConfigKey.ELEMENT_DEFAULT_THEME.key())).map(String::trim);
        theme.filter(t -> !t.equals("light") && !t.equals("dark")).ifPresent(t -> {
            throw new ConfigException(ConfigKey.ELEMENT_DEFAULT_THEME.key(), "must be light or dark (got '" + t + "')");
        });
        return new Branding(welcome, logo, theme);
    }

    static File welcomePage(String key, Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".html") && !name.endsWith(".htm")) {
            throw new ConfigException(key, path + " is not an HTML file (.html or .htm)");
        }
        byte[] bytes = bytes(key, path, MAX_WELCOME_PAGE);
        String text = utf8(key, path, bytes);
        if (!TAG.matcher(text).find()) {
            throw new ConfigException(key, path + " holds no HTML");
        }
        return new File("welcome.html", bytes);
    }

    static File logo(String key, Path path) {
        byte[] bytes = bytes(key, path, MAX_LOGO);
        String type = imageType(bytes).orElseGet(() -> {
            String text = utf8(key, path, bytes);
            if (!text.contains("<svg")) {
                throw new ConfigException(key, path + " is not a PNG, JPEG, GIF, WebP or SVG image");
            }
            // Served from Element's own origin: a script in it would run there when the file is opened.
            if (SCRIPT.matcher(text).find()) {
                throw new ConfigException(key, path + " is an SVG with scripts; remove them");
            }
            return "svg";
        });
        return new File("logo." + type, bytes);
    }

    /** The raster type by its magic bytes. */
    static Optional<String> imageType(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("png");
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("jpg");
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of("gif");
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of("webp");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... magic) {
        if (bytes.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String key, Path path, int max) {
        try {
            return OperatorFile.ownBytes(path, max);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static String utf8(String key, Path path, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new ConfigException(key, path + " is not text");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new ConfigException(key, path + " is not UTF-8 text");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Branding b && b.theme.equals(theme) && same(b.welcomePage, welcomePage) && same(b.logo, logo);
    }

    @Override
    public int hashCode() {
        return theme.hashCode();
    }

    private static boolean same(Optional<File> a, Optional<File> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty()
                || a.get().name().equals(b.get().name()) && Arrays.equals(a.get().content(), b.get().content()));
    }
}
