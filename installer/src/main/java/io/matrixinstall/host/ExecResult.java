package io.matrixinstall.host;


/** Exit code and captured output of one command run on a host. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /**
     * This result, or a HostException naming the whole command, its exit code and the end of what it said;
     * the command's secrets are masked in both (see {@link Command#secrets()}).
     */
    public ExecResult requireOk(Command command) {
        if (!ok()) {
            throw new HostException(command.display() + " failed (exit " + exitCode + "):\n"
                    + command.redact(lastLines((stderr.strip() + "\n" + stdout.strip()).strip(), 15)));
        }
        return this;
    }

    /** The last {@code count} lines of a program's output: where it says why it failed. */
    public static String lastLines(String text, int count) {
        java.util.List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

}
