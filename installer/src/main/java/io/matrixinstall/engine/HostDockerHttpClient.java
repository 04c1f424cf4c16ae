package io.matrixinstall.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * docker-java's transport to the engine of a {@link Host}, whichever machine that is: every HTTP connection is one
 * {@code docker system dial-stdio} started on the host ({@link Host#start}: a child process locally, which honours
 * DOCKER_HOST like any docker command; an exec channel on an SSH host), its standard streams carrying the engine's
 * API. httpclient5 does all of HTTP (pooling, keep-alive, chunked and endless streams such as events and followed
 * logs) over a socket that wraps those streams, as docker-java's own Apache transport does over a Unix socket.
 */
final class HostDockerHttpClient implements DockerHttpClient {
    /** The name requests carry; dial-stdio ignores it, as the engine's Unix socket does. */
    private static final HttpHost ENGINE = new HttpHost("http", InetAddress.getLoopbackAddress(), "localhost", 2375);
    /**
     * Each connection is a process on the host (an SSH session remotely, of which OpenSSH allows 10 per connection by
     * default, MaxSessions): a handful suffice, since a run holds at most an attach, an events stream and a call.
     */
    private static final int MAX_CONNECTIONS = 6;

    private final CloseableHttpClient client;

    HostDockerHttpClient(Host host, Duration responseTimeout) {
        // Since httpclient 5.4 the plain socket comes from the operator's socket factory (a socket factory registry
        // only upgrades to TLS): the same wiring as docker-java's own Apache transport for its Unix socket.
        var dialStdio = new DefaultHttpClientConnectionOperator(proxy -> new StreamSocket(host.start(Commands.dockerDialStdio())),
                DefaultSchemePortResolver.INSTANCE, SystemDefaultDnsResolver.INSTANCE, scheme -> null);
        // The engine answers some streams with "Transfer-Encoding: identity", which httpcore refuses: read those to
        // the end of the connection (docker-java's Apache transport does the same).
        ContentLengthStrategy lengths = message -> {
            Header encoding = message.getFirstHeader("Transfer-Encoding");
            return encoding != null && "identity".equalsIgnoreCase(encoding.getValue()) ? ContentLengthStrategy.UNDEFINED
                    : DefaultContentLengthStrategy.INSTANCE.determineLength(message);
        };
        var manager = new PoolingHttpClientConnectionManager(dialStdio, null, null, null,
                new ManagedHttpClientConnectionFactory(null, null, null, null, lengths, null));
        manager.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ZERO_MILLISECONDS).build());
        // A stale check would read the stream.
        manager.setDefaultConnectionConfig(ConnectionConfig.custom().setValidateAfterInactivity(TimeValue.NEG_ONE_SECOND).build());
        manager.setMaxTotal(MAX_CONNECTIONS);
        manager.setDefaultMaxPerRoute(MAX_CONNECTIONS);
        client = HttpClients.custom().setConnectionManager(manager)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(responseTimeout.toMillis())).build())
                .disableConnectionState().disableCookieManagement().disableAutomaticRetries()
                .build();
    }

    @Override
    public Response execute(Request request) {
        if (request.hijackedInput() != null) {
            // Only attaching a container's stdin needs a hijacked connection; the agent never does.
            throw new UnsupportedOperationException("writing to a container's stdin is not supported");
        }
        HttpUriRequestBase http = new HttpUriRequestBase(request.method(), URI.create(request.path()));
        http.setScheme(ENGINE.getSchemeName());
        http.setAuthority(new URIAuthority(ENGINE.getHostName(), ENGINE.getPort()));
        request.headers().forEach(http::addHeader);
        if (request.bodyBytes() != null) {
            http.setEntity(new ByteArrayEntity(request.bodyBytes(), null));
        } else if (request.body() != null) {
            http.setEntity(new InputStreamEntity(request.body(), null));
        }
        try {
            // Open: the body is read by docker-java, often as a stream (events, logs, a pull).
            return new EngineResponse(http, client.executeOpen(ENGINE, http, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close(); // closes every pooled connection, so every dial-stdio ends
    }

    private record EngineResponse(HttpUriRequestBase request, ClassicHttpResponse response) implements Response {
        @Override
        public int getStatusCode() {
            return response.getCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Header header : response.getHeaders()) {
                headers.computeIfAbsent(header.getName(), key -> new ArrayList<>()).add(header.getValue());
            }
            return headers;
        }

        @Override
        public InputStream getBody() {
            try {
                return response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            // Aborting drops the connection instead of draining an endless stream (events, a followed log) first.
            request.abort();
            try {
                response.close();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    /**
     * A connected socket made of a host process's standard streams. Socket options are meaningless on a pipe and
     * ignored; so is the read timeout (a dead engine or connection ends the process, which ends its output).
     */
    static final class StreamSocket extends Socket {
        private final HostProcess process;
        private volatile boolean closed;
        private volatile boolean inputShut;
        private volatile boolean outputShut;
        private int soTimeout;

        StreamSocket(HostProcess process) {
            this.process = process;
        }

        @Override
        public InputStream getInputStream() {
            return process.output();
        }

        @Override
        public OutputStream getOutputStream() {
            return process.input();
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                process.close();
            }
        }

        @Override
        public void shutdownOutput() throws IOException {
            outputShut = true;
            process.input().close(); // dial-stdio then half-closes its engine connection
        }

        @Override
        public void shutdownInput() {
            inputShut = true;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public boolean isBound() {
            return true;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public boolean isInputShutdown() {
            return inputShut;
        }

        @Override
        public boolean isOutputShutdown() {
            return outputShut;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) {}

        @Override
        public void bind(SocketAddress bindpoint) {}

        @Override
        public InetAddress getInetAddress() {
            return ENGINE.getAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            return ENGINE.getAddress();
        }

        @Override
        public int getPort() {
            return ENGINE.getPort();
        }

        @Override
        public int getLocalPort() {
            return -1;
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return new InetSocketAddress(ENGINE.getAddress(), ENGINE.getPort());
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return null;
        }

        @Override
        public synchronized void setSoTimeout(int timeout) {
            soTimeout = timeout;
        }

        @Override
        public synchronized int getSoTimeout() {
            return soTimeout;
        }

        @Override
        public void setTcpNoDelay(boolean on) {}

        @Override
        public boolean getTcpNoDelay() {
            return true;
        }

        @Override
        public void setKeepAlive(boolean on) {}

        @Override
        public void setReuseAddress(boolean on) {}

        @Override
        public void setSoLinger(boolean on, int linger) {}

        @Override
        public int getSoLinger() {
            return -1;
        }

        @Override
        public void setReceiveBufferSize(int size) {}

        @Override
        public void setSendBufferSize(int size) {}

        @Override
        public String toString() {
            return "docker system dial-stdio";
        }
    }
}
