package io.matrixinstall.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of one {@link Host#snapshot}: the states of paths (absent ones empty; one that could not be inspected
 * left out), the contents of files, the
 * entries of directories, and the results of read-only commands (by argv), each as that read on its own would
 * have answered or failed.
 */
public record Snapshot(Map<Path, Optional<FileState>> states, Map<Path, Answer<Optional<byte[]>>> contents,
        Map<Path, Answer<List<String>>> listings, Map<List<String>, Answer<ExecResult>> results) {

    /** What to read: paths to stat, files to read, directories to list, read-only commands to run. */
    public record Request(List<Path> stat, List<Path> read, List<Path> list, List<Command> commands) {
        public Request {
            stat = stat.stream().distinct().toList();
            read = read.stream().distinct().toList();
            list = list.stream().distinct().toList();
            commands = List.copyOf(commands);
        }

        public boolean isEmpty() {
            return stat.isEmpty() && read.isEmpty() && list.isEmpty() && commands.isEmpty();
        }
    }
}
