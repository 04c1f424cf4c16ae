package io.matrixinstall.plan;

/**
 * A step could not reach its goal. The message's first line says what and what state the host is in;
 * later lines carry evidence (a check's output, a container's last log lines).
 */
public final class StepFailedException extends RuntimeException {
    public StepFailedException(String message) {
        super(message);
    }
}
