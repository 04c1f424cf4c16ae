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

    /**
     * What to read: paths to stat, files to read, directories to list, read-only commands to run, and paths whose
     * symbolic links to follow ({@link Follow}).
     */
    public record Request(List<Path> stat, List<Path> read, List<Path> list, List<Command> commands, List<Follow> follow) {
        public Request {
            stat = stat.stream().distinct().toList();
            read = read.stream().distinct().toList();
            list = list.stream().distinct().toList();
            commands = List.copyOf(commands);
            follow = follow.stream().distinct().toList();
        }

        public Request(List<Path> stat, List<Path> read, List<Path> list, List<Command> commands) {
            this(stat, read, list, commands, List.of());
        }

        public boolean isEmpty() {
            return stat.isEmpty() && read.isEmpty() && list.isEmpty() && commands.isEmpty() && follow.isEmpty();
        }
    }

    /**
     * A path whose links the snapshot follows as the kernel would ({@link LinkChain}): the state of every path on the
     * way (each prefix of the path and of every link's target) joins the states, and where the path leads to
     * something that exists, the files {@code beside} it (relative to its directory, as a link's target is: the
     * Java runtime's {@code ../release} beside {@code bin/java}) join the contents, read as {@link Host#read} reads.
     * A chain the host cannot answer is left out: its reads then go to the host, as before.
     */
    public record Follow(Path path, List<Path> beside) {
        public Follow {
            beside = List.copyOf(beside);
        }

        /** Where {@code relative} is beside {@code resolved} (the end of the chain). */
        public static Path beside(Path resolved, Path relative) {
            Path directory = resolved.getParent() == null ? resolved : resolved.getParent();
            return directory.resolve(relative).normalize();
        }
    }
}
