package io.matrixinstall.plan;

/** The host is not fit for the requested run (not root, unsupported OS, port taken). Nothing was changed. */
public final class PreconditionException extends RuntimeException {
    public PreconditionException(String message) {
        super(message);
    }
}
