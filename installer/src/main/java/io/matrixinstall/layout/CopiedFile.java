package io.matrixinstall.layout;

import io.matrixinstall.host.Ownership;
import java.nio.file.Path;

/**
 * A file copied as it is from the operator's machine (read and checked when the configuration is loaded), not
 * rendered from a template: Element's welcome page and logo.
 */
public record CopiedFile(Path path, byte[] content, Ownership owner, int mode) {
    @Override
    public String toString() {
        return "CopiedFile[" + path + ", " + content.length + " bytes]";
    }
}
