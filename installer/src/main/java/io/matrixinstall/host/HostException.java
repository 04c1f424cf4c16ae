package io.matrixinstall.host;

/** A host operation failed (I/O, permission, transport). The message names the path or command. */
public class HostException extends RuntimeException {
    public HostException(String message, Throwable cause) {
        super(message, cause);
    }

    public HostException(String message) {
        super(message);
    }
}
