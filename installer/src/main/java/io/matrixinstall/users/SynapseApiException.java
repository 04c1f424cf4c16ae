package io.matrixinstall.users;

import io.matrixinstall.config.ConfigException;

/** Synapse answered a request with an error: its HTTP status and Matrix errcode, never the request's body. */
public final class SynapseApiException extends RuntimeException {
    private final int status;
    private final String errcode;

    public SynapseApiException(String what, int status, String errcode, String error) {
        super(what + ": Synapse answered " + status + (errcode.isEmpty() ? "" : " " + errcode)
                + (error.isEmpty() ? "" : " (" + ConfigException.oneLine(error) + ")"));
        this.status = status;
        this.errcode = errcode;
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }
}
