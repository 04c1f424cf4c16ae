package io.matrixinstall.render;

import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import io.matrixinstall.command.ShellQuote;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * How a value is written into each kind of file the templates make, offered to every template as a function:
 * {@code ${yaml(value)}} for any string in a YAML file, {@code ${cron_arg(path)}} and {@code ${systemd_arg(path)}}
 * for one word of a schedule's command. Whatever the value holds, it comes out as exactly that one value.
 */
public final class Escapes {
    /** What systemd takes as a word as it is: no quote, escape, specifier ('%'), variable ('$') or separator (';'). */
    private static final Pattern SYSTEMD_PLAIN = Pattern.compile("[A-Za-z0-9_@+=:,./-]+");

    private Escapes() {}

    /** The template functions, by the name templates call them. */
    static Map<String, TemplateMethodModelEx> functions() {
        return Map.of("yaml", function("yaml", Escapes::yaml), "cron_arg", function("cron_arg", Escapes::cronArgument),
                "systemd_arg", function("systemd_arg", Escapes::systemdArgument));
    }

    /**
     * A YAML double-quoted scalar holding exactly {@code value}: backslash and quote escaped, and every character YAML
     * would not keep as it is (control characters, the C1 range, the line and paragraph separators YAML 1.1 treats as
     * line breaks, the byte order mark) as an escape. Plain text comes out as {@code ?j_string} wrote it before.
     */
    public static String yaml(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * One word of a cron command: cron hands the line to /bin/sh, so the word is shell-quoted; and cron itself turns
     * an unescaped '%' into a newline, so each one gets the backslash cron removes again.
     */
    public static String cronArgument(String value) {
        refuseLineBreaks(value);
        return ShellQuote.quote(value).replace("%", "\\%");
    }

    /**
     * One word of a systemd command line (systemd.syntax(7), systemd.service(5)): plain words as they are, the rest
     * in double quotes with '\' and '"' escaped, '%' doubled (specifiers are expanded inside quotes too) and '$'
     * doubled (no variable expansion).
     */
    public static String systemdArgument(String value) {
        refuseLineBreaks(value);
        if (SYSTEMD_PLAIN.matcher(value).matches()) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$") + '"';
    }

    /** A newline or other control character ends a cron line or a unit's setting: no quoting carries it. */
    private static void refuseLineBreaks(String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a control character cannot be part of a scheduled command");
        }
    }

    private static TemplateMethodModelEx function(String name, UnaryOperator<String> escape) {
        return arguments -> {
            if (arguments.size() != 1 || !(arguments.get(0) instanceof TemplateScalarModel scalar)) {
                throw new TemplateModelException(name + "() takes one string");
            }
            return escape.apply(scalar.getAsString());
        };
    }
}
