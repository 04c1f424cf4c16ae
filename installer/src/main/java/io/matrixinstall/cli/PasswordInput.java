package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.plan.PreconditionException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A new account's password: from a file the operator names (its one trailing line break dropped) or typed at
 * the terminal twice without echo. Never from argv (other users see it in the process list) nor the
 * environment; with no terminal and no file, one line saying which option to use.
 */
final class PasswordInput {
    private PasswordInput() {}

    static String read(Path file, String option, String who) {
        if (file != null) {
            String text = ConfigLoader.readOperatorFile(option, file);
            String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (password.isEmpty()) {
                throw new ConfigException(option, file + " holds no password");
            }
            if (password.contains("\n")) {
                throw new ConfigException(option, file + " holds more than one line; put only the password in it");
            }
            return password;
        }
        java.io.Console terminal = System.console();
        if (terminal == null) {
            throw new PreconditionException("no terminal to ask for the password of " + who + ": give " + option + " FILE");
        }
        char[] first = terminal.readPassword("Password for %s: ", who);
        char[] second = first == null ? null : terminal.readPassword("Repeat the password: ");
        try {
            if (first == null || first.length == 0) {
                throw new ConfigException(option, "no password given");
            }
            if (!Arrays.equals(first, second)) {
                throw new ConfigException(option, "the two passwords differ");
            }
            return new String(first);
        } finally {
            Arrays.fill(first == null ? new char[0] : first, ' ');
            Arrays.fill(second == null ? new char[0] : second, ' ');
        }
    }
}
