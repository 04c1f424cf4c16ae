package io.matrixinstall.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The small reads of a run answered in the agent's own process on its own machine ({@link LocalAnswer}), each giving
 * what its program prints. {@code LocalAnswersTest} runs each program beside its answer and compares.
 */
public final class LocalAnswers {
    private LocalAnswers() {}

    /**
     * Where {@code which} finds {@code program} on {@code path}: the first {@code DIR/PROGRAM} that is a regular file
     * (links followed) and executable, as joined; empty entries (the working directory) skipped.
     */
    public static Optional<String> onPath(String program, String path) {
        for (String directory : path.split(":")) {
            String candidate = directory + "/" + program;
            if (!directory.isEmpty() && Files.isRegularFile(Path.of(candidate)) && Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code id -u}: the effective uid, from the kernel's status of this process (the program would inherit it). */
    public record UserId() implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("Uid:")) { // real, effective, saved, file system
                        return Optional.of(new ExecResult(0, line.substring(4).strip().split("\\s+")[1] + "\n", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the program says it its own way
            }
            return Optional.empty();
        }
    }

    /** {@code cat FILE} of a file that is there (following links, as cat does); anything else is cat's to say. */
    public record FileText(Path file) implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            try {
                return Optional.of(new ExecResult(0, Files.readString(file, StandardCharsets.UTF_8), ""));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Debian's {@code which PROGRAM...} (debianutils): for each, the first {@code DIR/PROGRAM} on PATH that is a regular
     * file (links followed) and executable, printed as joined; exit 1 when one is not found.
     */
    public record Locate(List<String> programs) implements LocalAnswer {
        public Locate {
            programs = List.copyOf(programs);
        }

        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            String path = environment.getOrDefault("PATH", "");
            // The shell's field splitting of $PATH on ':' (a trailing separator makes no empty last field).
            List<String> directories = path.isEmpty() ? List.of()
                    : List.of(path.endsWith(":") ? path.substring(0, path.length() - 1).split(":", -1) : path.split(":", -1));
            // A name with a slash, or an empty PATH entry (the working directory): the program's own rules.
            if (programs.stream().anyMatch(program -> program.contains("/") || program.isEmpty()) || directories.contains("")) {
                return Optional.empty();
            }
            StringBuilder out = new StringBuilder();
            int exit = 0;
            for (String program : programs) {
                Optional<String> found = onPath(program, path);
                found.ifPresent(candidate -> out.append(candidate).append('\n'));
                exit = found.isPresent() ? exit : 1;
            }
            return Optional.of(new ExecResult(exit, out.toString(), ""));
        }
    }

    /**
     * {@code Commands.jarCopyIdentity}: each path's {@code stat} line (the path itself, never a link's target) or "-",
     * then the record's first 4 KiB when it is a regular file. The record is read as every local read is (no link
     * followed on the way, no writer waited for): where that refuses what dd would have read, the record does not
     * match and the copy is checked byte for byte, never trusted.
     */
    public record JarCopyIdentity(Path copy, Path record) implements LocalAnswer {
        private static final int RECORD_BYTES = 4096;

        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            StringBuilder out = new StringBuilder();
            out.append(statLine(copy)).append('\n').append(statLine(record)).append('\n');
            if (Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    byte[] bytes = LocalFiles.read(record, 16 * RECORD_BYTES).orElse(new byte[0]);
                    out.append(new String(bytes, 0, Math.min(bytes.length, RECORD_BYTES), StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    // unreadable, far larger than a record, a FIFO swapped in: no record, as when dd cannot read it
                }
            }
            return Optional.of(new ExecResult(0, out.toString(), ""));
        }

        /** {@code stat --printf='%f %u %g %i %s %.9Y %.9Z'}: raw mode in hex, owner, inode, size, mtime and ctime. */
        private static String statLine(Path path) {
            try {
                Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,ino,size,lastModifiedTime,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                return Integer.toHexString((Integer) a.get("mode")) + " " + a.get("uid") + " " + a.get("gid") + " "
                        + a.get("ino") + " " + a.get("size") + " " + seconds((FileTime) a.get("lastModifiedTime")) + " "
                        + seconds((FileTime) a.get("ctime"));
            } catch (IOException | RuntimeException e) {
                return "-";
            }
        }

        private static String seconds(FileTime time) {
            var instant = time.toInstant();
            return instant.getEpochSecond() + "." + String.format("%09d", instant.getNano());
        }
    }
}
