package io.matrixinstall.host;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quoting for a POSIX shell: the one place where argv becomes a command line, needed only where a line is all a
 * transport carries (an SSH exec request is run by the remote user's login shell as {@code $SHELL -c LINE}).
 * Every argument comes out as exactly one word, whatever it holds: plain ones as they are, the rest in single
 * quotes, where the shell expands nothing and only the quote itself needs the {@code '\''} dance.
 */
public final class ShellQuote {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {}

    public static String quote(String argument) {
        if (argument.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an argument cannot hold a NUL character");
        }
        if (PLAIN.matcher(argument).matches()) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by single spaces. */
    public static String join(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String argument : argv) {
            line.append(line.length() == 0 ? "" : " ").append(quote(argument));
        }
        return line.toString();
    }
}
