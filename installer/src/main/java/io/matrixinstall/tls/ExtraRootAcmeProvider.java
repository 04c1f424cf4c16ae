package io.matrixinstall.tls;

import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's provider for plain http(s) directory URLs, with its HTTP client built on our own SSLContext.
 * acme4j 3.x has no trust setting in NetworkSettings; its provider's createHttpConnector is the hook
 * (the bundled Pebble provider does the same with a fixed truststore), and a Session takes a provider
 * instance, so the trust stays with this one session.
 */
final class ExtraRootAcmeProvider extends GenericAcmeProvider {
    private final SSLContext sslContext;

    ExtraRootAcmeProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    protected HttpConnector createHttpConnector(NetworkSettings settings) {
        return new HttpConnector(settings) {
            @Override
            public HttpClient.Builder createClientBuilder() {
                return super.createClientBuilder().sslContext(sslContext);
            }
        };
    }
}
