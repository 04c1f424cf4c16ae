package io.matrixinstall.tls;

/**
 * Makes an HTTP-01 challenge answer reachable at {@code http://<domain>/.well-known/acme-challenge/<token>}
 * while the CA validates it. The product does this through nginx's webroot; tests serve a directory.
 */
public interface ChallengePublisher {

    /** Serves {@code keyAuthorization} as the body of {@code /.well-known/acme-challenge/<token>}. */
    void publish(String token, String keyAuthorization);

    /** Stops serving the token; withdrawing one that was never published is not an error. */
    void withdraw(String token);
}
