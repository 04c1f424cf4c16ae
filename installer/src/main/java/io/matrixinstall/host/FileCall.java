package io.matrixinstall.host;

import java.nio.file.Path;

/**
 * A file call of a {@link Host}, and how its refusals and failures read: one line, worded the same on every host.
 * Both the local calls ({@link LocalFiles}) and the remote script ({@code scripts/remote-files.pl}) report the same
 * statuses: {@value Commands#REMOTE_SYMLINK} a link at the path, {@value Commands#REMOTE_ABSENT} absent,
 * {@value Commands#REMOTE_REFUSED} refused ("via LINK", "type KIND", "large"), anything else a failure with its
 * reason.
 */
enum FileCall {
    READ("read", "read", "a regular file"),
    WRITE("write", "write", "a regular file"),
    OWNER_AND_MODE("set owner and mode of", "set owner and mode of", "a regular file or directory"),
    DIRECTORY("use", "create directory", "a directory"),
    REMOVE("remove", "remove", "a file or an empty directory");

    private static final String ADVICE = "; remove it and run again";

    private final String refused;
    private final String failed;
    private final String expected;

    FileCall(String refused, String failed, String expected) {
        this.refused = refused;
        this.failed = failed;
        this.expected = expected;
    }

    HostException symbolicLink(Path path) {
        return new HostException("refusing to " + refused + " " + path + ": it is a symbolic link, which could redirect"
                + " root elsewhere" + ADVICE);
    }

    /**
     * The exception for a status the call ended with ({@code where}: "" locally, " on HOST" remotely, after the
     * path in a failure).
     */
    HostException status(Path path, int code, String detail, String where) {
        String said = detail == null ? "" : detail.strip();
        if (code == HostCommands.REMOTE_SYMLINK) {
            return symbolicLink(path);
        }
        if (code == HostCommands.REMOTE_ABSENT) {
            return new HostException("cannot " + failed + " " + path + where + ": no such file or directory");
        }
        if (code == HostCommands.REMOTE_REFUSED && said.startsWith("via ")) {
            return new HostException("refusing to " + refused + " " + path + ": " + said.substring(4) + " is a symbolic"
                    + " link in a directory another user can write, which could redirect root elsewhere" + ADVICE);
        }
        if (code == HostCommands.REMOTE_REFUSED && said.startsWith("type ")) {
            return new HostException("refusing to " + refused + " " + path + ": it is " + kind(said.substring(5))
                    + ", not " + expected + ADVICE);
        }
        if (code == HostCommands.REMOTE_REFUSED && said.equals("large")) {
            return new HostException("refusing to " + refused + " " + path + ": it is larger than "
                    + (Host.READ_LIMIT >> 20) + " MiB, more than any file matrix-install reads");
        }
        return new HostException("cannot " + failed + " " + path + where + ": "
                + (said.isEmpty() ? "exit " + code : said.lines().reduce((a, b) -> b).orElse(said)));
    }

    /** The words for a file type as both implementations name it. */
    private static String kind(String word) {
        return switch (word) {
            case "fifo" -> "a FIFO";
            case "socket" -> "a socket";
            case "char" -> "a character device";
            case "block" -> "a block device";
            case "directory" -> "a directory";
            case "file" -> "a regular file";
            default -> "an unknown kind of file";
        };
    }
}
