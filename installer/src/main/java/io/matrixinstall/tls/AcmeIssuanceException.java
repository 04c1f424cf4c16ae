package io.matrixinstall.tls;

/**
 * Issuing a certificate failed. The message is meant for the operator as it is: it names the domain (or
 * the account) and carries the CA's own problem detail, e.g.
 * {@code matrix.example.org: the CA could not fetch the HTTP-01 challenge: <detail>}.
 */
public final class AcmeIssuanceException extends RuntimeException {

    public AcmeIssuanceException(String message) {
        super(message);
    }

    public AcmeIssuanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
