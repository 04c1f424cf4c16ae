package io.matrixinstall.component;

import java.nio.file.Path;

/**
 * Something a switched-off component left on the host that the leftovers step removes, each as a change of its
 * own (so `--dry-run` lists it). Data never is: volumes, certificates and files the agent did not write stay.
 *
 * @param kind        what to do
 * @param path        the file; for {@link Kind#MANAGED_FILES_IN} and {@link Kind#DIRECTORY} the directory; for {@link Kind#PROJECT} its
 *                    compose file (used when present)
 * @param project     for {@link Kind#PROJECT}: the Compose project to stop and remove
 * @param label       for {@link Kind#PROJECT}: what the change line calls it, e.g. "nginx stack"
 * @param why         the reason the change line gives; "" for the component's {@link Component#disabledBecause}
 */
public record Leftover(Kind kind, Path path, String project, String label, String why) {

    public enum Kind {
        /** A file the agent wrote. */
        FILE,
        /** Every file in a directory that carries the agent's marker line and no enabled component renders. */
        MANAGED_FILES_IN,
        /** A Compose project's containers (stopped and removed; its volumes stay). */
        PROJECT,
        /**
         * A directory the agent made, once the files of the leftovers before it are gone: removed when nothing else
         * is in it, else left as it is.
         */
        DIRECTORY
    }

    public static Leftover file(Path path) {
        return new Leftover(Kind.FILE, path, "", "", "");
    }

    public static Leftover managedFilesIn(Path directory) {
        return new Leftover(Kind.MANAGED_FILES_IN, directory, "", "", "");
    }

    public static Leftover directory(Path directory) {
        return new Leftover(Kind.DIRECTORY, directory, "", "", "");
    }

    public static Leftover project(String label, String project, Path composeFile) {
        return new Leftover(Kind.PROJECT, composeFile, project, label, "");
    }

    /** The same, with its own reason. */
    public Leftover because(String reason) {
        return new Leftover(kind, path, project, label, reason);
    }
}
