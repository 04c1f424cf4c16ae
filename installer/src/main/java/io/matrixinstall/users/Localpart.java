package io.matrixinstall.users;

import io.matrixinstall.config.ConfigException;
import java.util.regex.Pattern;

/**
 * A user name as Matrix and Synapse accept it for registration, checked before anything is sent: the spec's
 * localpart characters ({@code a-z 0-9 . _ = - / +}), not starting with {@code _} (Synapse reserves it for
 * application services), not all digits (reserved for guests), and the whole user id at most 255 characters.
 * Upper case is refused rather than folded: the operator must see the exact id that will exist.
 */
public record Localpart(String name, String serverName) {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._=/+-]+");
    private static final int MAX_USER_ID = 255;

    public static Localpart of(String name, String serverName) {
        String problem = problem(name, serverName);
        if (problem != null) {
            throw new ConfigException("NAME", problem + " (got '" + ConfigException.oneLine(name) + "')");
        }
        return new Localpart(name, serverName);
    }

    /** Also takes a full id ({@code @alice:server}) of this server, as the admin API lists them. */
    public static Localpart ofNameOrId(String value, String serverName) {
        String suffix = ":" + serverName;
        if (value.startsWith("@") && value.endsWith(suffix)) {
            return of(value.substring(1, value.length() - suffix.length()), serverName);
        }
        if (value.startsWith("@")) {
            throw new ConfigException("NAME", "not a user of " + serverName + " (got '" + ConfigException.oneLine(value) + "')");
        }
        return of(value, serverName);
    }

    private static String problem(String name, String serverName) {
        if (name == null || name.isEmpty()) {
            return "a user name must not be empty";
        }
        if (!ALLOWED.matcher(name).matches()) {
            return "a user name may only hold a-z, 0-9 and . _ = - / +";
        }
        if (name.startsWith("_")) {
            return "a user name must not start with _ (reserved for application services)";
        }
        if (name.chars().allMatch(Character::isDigit)) {
            return "a user name must not be only digits (reserved for guests)";
        }
        if (("@" + name + ":" + serverName).length() > MAX_USER_ID) {
            return "the user id @NAME:" + serverName + " would be longer than " + MAX_USER_ID + " characters";
        }
        return null;
    }

    public String userId() {
        return "@" + name + ":" + serverName;
    }

    @Override
    public String toString() {
        return userId();
    }
}
