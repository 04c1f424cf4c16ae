package io.matrixinstall.host;

import io.matrixinstall.command.Command;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one way steps reach the machine being installed. Local and SSH hosts implement it, so a plan
 * behaves the same whether it runs on the server or from an operator's laptop.
 * Paths are absolute paths on that host.
 */
public interface Host {

    /** A short name for messages: "localhost", "root@203.0.113.5". */
    String name();

    ExecResult exec(Command command);

    /**
     * Runs the command with its standard output streamed into {@code file} (binary, e.g. a database dump),
     * created with {@code owner} and {@code mode} before the first byte is written. Stderr is captured.
     */
    default ExecResult execToFile(Command command, Path file, Ownership owner, int mode) {
        throw new HostException(name() + " cannot stream a command's output into a file");
    }

    Optional<FileState> stat(Path path);

    /** The file's bytes, or empty when it does not exist. */
    Optional<byte[]> read(Path path);

    /** Replaces the file in one step (write aside, then rename), with the given owner and mode. */
    void writeAtomically(Path path, byte[] content, Ownership owner, int mode);

    /** Creates the directory (and missing parents, owned by root 0755) when absent, then sets owner and mode. */
    void createDirectory(Path path, Ownership owner, int mode);

    void setOwnerAndMode(Path path, Ownership owner, int mode);

    /** Removes a file or an empty directory; absent is fine. */
    void remove(Path path);

    /** The names of a directory's entries, sorted; empty when the directory does not exist. */
    java.util.List<String> list(Path directory);

    default OsRelease osRelease() {
        return read(Path.of("/etc/os-release"))
                .map(bytes -> OsRelease.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)))
                .orElseThrow(() -> new HostException(name() + ": /etc/os-release is missing"));
    }
}
