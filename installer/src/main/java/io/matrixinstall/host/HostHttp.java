package io.matrixinstall.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP(S) GETs to {@code address:port} as seen from the host: the JVM connects to {@link Host#reach} (the same
 * address locally, an SSH port forward for a remote host; never a port opened on the target), while each request
 * names the server as a client would ({@code Host} header and TLS SNI). Any certificate is accepted and handed
 * back, so callers can judge it. One connection per request: every HTTPS answer carries its own handshake's chain.
 */
public final class HostHttp {
    private static final int MAX_BODY = 1 << 20;

    /** An answer, with the chain the server presented (empty over plain HTTP). */
    public record Response(int status, Map<String, List<String>> headers, String body, List<X509Certificate> chain) {
        /** The header's values joined by ", " (case-insensitive name), or "" when absent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(", ", e.getValue())).findFirst().orElse("");
        }
    }

    private final InetSocketAddress reached;
    private final int port;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /** Opens the way to {@code address:port} on the host now (an SSH forward lives as long as the host's connection). */
    public HostHttp(Host host, String address, int port, Duration connectTimeout, Duration readTimeout) {
        this.reached = host.reach(address, port);
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** GET {@code scheme://name:port/path}, connected through the host; no redirects followed, no retries. */
    public Response get(String scheme, String name, String path) throws IOException {
        RecordingTrust trust = new RecordingTrust();
        // Whatever the URL names, the socket goes to the reached address; the name still goes into SNI and Host.
        DnsResolver toReached = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return new InetAddress[] {reached.getAddress()};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        // TLS set-up costs a cold JVM about a second: only when asked for (plain http never upgrades).
        TlsSocketStrategy tls = scheme.equals("https")
                ? new DefaultClientTlsStrategy(trust.context(), HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE)
                : (socket, target, targetPort, attachment, context) -> {
                    throw new SSLException("no TLS asked for " + target);
                };
        // A pool of one route, used for one request (httpclient 5.0's single-connection manager failed on a refused
        // connection); the port a forward hands back replaces the URL's.
        var manager = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(tls).setDnsResolver(toReached).setSchemePortResolver(target -> reached.getPort())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ofMilliseconds(readTimeout.toMillis())).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeout.toMillis())).build())
                .build();
        RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(readTimeout.toMillis())).build();
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(manager).setDefaultRequestConfig(config)
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                .disableContentCompression()
                // No cookies: an empty registry spares loading the public suffix list (a third of a second)
                .setDefaultCookieSpecRegistry(RegistryBuilder.<CookieSpecFactory>create().build())
                .build()) {
            return client.execute(new HttpGet(URI.create(scheme + "://" + name + ":" + port + path)), response -> {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (Header header : response.getHeaders()) {
                    headers.computeIfAbsent(header.getName(), key -> new ArrayList<>()).add(header.getValue());
                }
                String body = "";
                if (response.getEntity() != null) {
                    try (InputStream in = response.getEntity().getContent()) {
                        body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                    }
                }
                return new Response(response.getCode(), headers, body, trust.chain());
            });
        }
    }

    /**
     * Accepts any server certificate and keeps the chain it was shown. Extended, so the JDK adds no checks of its
     * own around it (a plain X509TrustManager gets wrapped with endpoint and algorithm checks).
     */
    private static final class RecordingTrust extends X509ExtendedTrustManager {
        private volatile List<X509Certificate> chain = List.of();

        SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {this}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        List<X509Certificate> chain() {
            return chain;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType) {
            chain = List.copyOf(Arrays.asList(presented));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, java.net.Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, java.net.Socket socket) {
            checkServerTrusted(presented, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, javax.net.ssl.SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, javax.net.ssl.SSLEngine engine) {
            checkServerTrusted(presented, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
