package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sizes and SHA-256 of files on the host, computed there (streamed by sha256sum; never read into the agent). */
final class Checksums {
    private Checksums() {}

    /** path -> hex digest; a missing or unreadable file is simply absent from the answer. */
    static Map<Path, String> sha256(Host host, List<Path> files) {
        Command command = Commands.sha256(files);
        ExecResult result = host.exec(command);
        Map<Path, String> digests = new HashMap<>();
        for (String line : result.stdout().lines().toList()) {
            // "HEX  PATH"; sha256sum escapes names with a backslash or newline (our names have neither).
            if (line.length() > 66 && line.charAt(64) == ' ') {
                digests.put(Path.of(line.substring(66)), line.substring(0, 64));
            }
        }
        if (!result.ok() && digests.size() == files.size()) {
            result.requireOk(command);
        }
        return digests;
    }

    static List<Long> sizes(Host host, List<Path> files) {
        Command command = Commands.fileSizes(files);
        List<String> lines = host.exec(command).requireOk(command).stdout().lines().toList();
        if (lines.size() != files.size()) {
            throw new HostException(command.display() + " answered " + lines.size() + " sizes for " + files.size() + " files");
        }
        return lines.stream().map(l -> Long.parseLong(l.strip())).toList();
    }
}
