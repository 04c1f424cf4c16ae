package io.matrixinstall.ops.checks;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS over a connection the host opened (directly, or tunnelled from a remote host): the certificate is checked
 * against the configured server name, as Synapse checks it, not against the address the agent happens to reach.
 */
final class ServerTls {
    private ServerTls() {}

    static SSLSocket secure(Socket plain, String host) throws IOException {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, plain.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name host
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }
}
