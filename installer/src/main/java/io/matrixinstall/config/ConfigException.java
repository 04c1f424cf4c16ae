package io.matrixinstall.config;

/**
 * Bad input from the operator: the message is one line that starts with the key at fault. Control
 * characters in it (a newline inside a value the message quotes) are shown escaped, so it stays one line.
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String problem) {
        super(oneLine(key) + ": " + oneLine(problem));
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** {@code text} with control and line-separator characters written as escapes ({@code \n}, {@code \u0000}). */
    public static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(isControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    /** Control characters, and the Unicode line and paragraph separators that also break a line. */
    static boolean isControl(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
    }
}
