package io.matrixinstall.layout;

import io.matrixinstall.host.Ownership;
import java.nio.file.Path;

/** A directory the installer owns, with the owner and mode it must have. */
public record ManagedDirectory(Path path, Ownership owner, int mode) {}
