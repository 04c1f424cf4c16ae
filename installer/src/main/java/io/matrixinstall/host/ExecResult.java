package io.matrixinstall.host;

/** Exit code and captured output of one command run on a host. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
