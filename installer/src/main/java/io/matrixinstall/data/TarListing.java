package io.matrixinstall.data;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether a media archive may be unpacked as root, decided from GNU tar's own listing of it (on the host, streamed:
 * never read into the agent) before a byte is unpacked: only regular files and directories, all under one top
 * directory, no absolute name and no "..". Devices, fifos, and symbolic or hard links are refused: a restore brings
 * uploads, nothing else.
 */
final class TarListing {
    /** One member: its type as {@code tar -tv} prints it ('-' file, 'd' directory, 'l', 'h', 'c', ...) and its name. */
    record Entry(char type, String name) {}

    private TarListing() {}

    /** The first reason {@code archive} must not be unpacked, or empty; {@code top} is "media_store" or "." */
    static Optional<String> problem(Host host, Path archive, String top) {
        Command command = Commands.tarListings(archive);
        ExecResult listed = host.exec(command);
        int separator = listed.stdout().indexOf(Commands.LISTINGS_SEPARATOR);
        if (!listed.ok() || separator < 0) {
            return Optional.of("no tar archive tar can list (" + ExecResult.lastLines(listed.stderr(), 1).strip() + ")");
        }
        List<String> nameLines = listed.stdout().substring(0, separator).lines().toList();
        List<String> typeLines = listed.stdout().substring(separator + Commands.LISTINGS_SEPARATOR.length()).lines().toList();
        if (nameLines.size() != typeLines.size()) {
            return Optional.of("a listing tar cannot give consistently (" + nameLines.size() + " names, " + typeLines.size()
                    + " entries)");
        }
        for (int i = 0; i < nameLines.size(); i++) {
            String line = typeLines.get(i);
            Optional<String> problem = problem(new Entry(line.isEmpty() ? '?' : line.charAt(0), nameLines.get(i)), top);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Why one member must not be unpacked under {@code top}, or empty. */
    static Optional<String> problem(Entry entry, String top) {
        String name = entry.name();
        String shown = "'" + name + "'";
        String trimmed = name.replaceAll("/+$", "");
        if (name.startsWith("/")) {
            return Optional.of(shown + ", an absolute name");
        }
        List<String> parts = List.of(trimmed.split("/", -1));
        if (parts.contains("..")) {
            return Optional.of(shown + ", a name with '..'");
        }
        if (!parts.get(0).equals(top)) {
            return Optional.of(shown + ", outside " + top + "/");
        }
        String kind = switch (entry.type()) {
            case '-', 'd' -> null;
            case 'l' -> "a symbolic link";
            case 'h' -> "a hard link";
            case 'c' -> "a character device";
            case 'b' -> "a block device";
            case 'p' -> "a fifo";
            case 's' -> "a socket";
            default -> "a member of type '" + entry.type() + "'";
        };
        if (kind != null) {
            return Optional.of(shown + ", " + kind);
        }
        if (parts.size() == 1 && entry.type() != 'd') {
            return Optional.of(shown + ", not a directory");
        }
        return Optional.empty();
    }
}
