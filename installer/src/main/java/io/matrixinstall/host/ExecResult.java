package io.matrixinstall.host;

/** Exit code and captured output of one command run on a host. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a HostException naming the command, its exit code and the end of what it said. */
    public ExecResult requireOk(io.matrixinstall.command.Command command) {
        if (!ok()) {
            throw new HostException(String.join(" ", command.argv().subList(0, Math.min(3, command.argv().size())))
                    + " failed (exit " + exitCode + "):\n" + lastLines(stderr + "\n" + stdout, 15));
        }
        return this;
    }

    /** The last {@code count} lines of a program's output: where it says why it failed. */
    public static String lastLines(String text, int count) {
        java.util.List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
