package io.matrixinstall.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A program run in a mount namespace of its own (unshare, private propagation) where files of the test's are
 * bind-mounted over the machine's (/etc/hosts, /etc/resolv.conf): the program reads them at the usual paths, as on a
 * server set up so, and nothing else on the machine sees them. Wrappers nest: an inner one's mounts cover an outer
 * one's. Needs root, as the ITs have.
 */
final class PrivateMounts {
    private static final String SCRIPT = "while [ \"$1\" != -- ]; do mount --bind \"$1\" \"$2\" || exit; shift 2; done; shift;"
            + " exec \"$@\"";

    private PrivateMounts() {}

    /** {@code argv} run where each key path shows the file it maps to (in the map's order). */
    static List<String> over(Map<Path, Path> mounts, List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", SCRIPT,
                "private-mounts"));
        mounts.forEach((target, file) -> wrapped.addAll(List.of(file.toString(), target.toString())));
        wrapped.add("--");
        wrapped.addAll(argv);
        return wrapped;
    }
}
