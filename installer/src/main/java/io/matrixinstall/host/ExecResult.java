package io.matrixinstall.host;

/** Exit code and captured output of one command run on a host. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a HostException naming the command, its exit code and the end of what it said. */
    public ExecResult requireOk(io.matrixinstall.command.Command command) {
        if (!ok()) {
            String said = (stderr + "\n" + stdout).strip();
            java.util.List<String> lines = said.lines().toList();
            throw new HostException(String.join(" ", command.argv().subList(0, Math.min(3, command.argv().size())))
                    + " failed (exit " + exitCode + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        return this;
    }
}
