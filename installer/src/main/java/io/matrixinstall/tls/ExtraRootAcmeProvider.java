package io.matrixinstall.tls;

import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's provider for plain http(s) directory URLs, with its HTTP client built on our own SSLContext.
 * acme4j has no trust setting in NetworkSettings; since 4.0 a provider builds the one HttpClient its Session shares
 * (the bundled Pebble provider does the same with a fixed truststore), and a Session takes a provider instance, so
 * the trust stays with this one session. The client is acme4j's default one (redirects, timeout, proxy and
 * authenticator from the settings) plus the SSLContext: a built HttpClient cannot be changed afterwards.
 */
final class ExtraRootAcmeProvider extends GenericAcmeProvider {
    private final SSLContext sslContext;

    ExtraRootAcmeProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector())
                .sslContext(sslContext);
        if (settings.getAuthenticator() != null) {
            builder.authenticator(settings.getAuthenticator());
        }
        return builder.build();
    }
}
