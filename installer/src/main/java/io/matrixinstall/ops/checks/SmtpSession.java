package io.matrixinstall.ops.checks;

import io.matrixinstall.config.MailSettings.MailTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The start of an SMTP session, as far as `doctor` goes: greeting, EHLO, TLS (implicit or STARTTLS, the
 * certificate checked against {@code host} as Synapse checks it) and AUTH PLAIN. QUIT on close; never MAIL.
 */
final class SmtpSession implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private List<String> extensions = List.of();

    /** A reply that ends the check: the message says what the server answered. */
    static final class SmtpException extends IOException {
        SmtpException(String message) {
            super(message);
        }
    }

    private SmtpSession() {}

    /** Connects to {@code address} (where the host reaches the server), speaking to it as {@code host}. */
    static SmtpSession open(InetSocketAddress address, String host, MailTls tls) throws IOException {
        SmtpSession session = new SmtpSession();
        Socket plain = new Socket();
        try {
            plain.connect(address, TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            session.use(tls == MailTls.TLS ? ServerTls.secure(plain, host) : plain);
            session.expect(220, "greeting");
            session.ehlo();
            if (tls == MailTls.STARTTLS) {
                if (!session.extensions.contains("STARTTLS")) {
                    throw new SmtpException("does not offer STARTTLS (mail.tls is starttls)");
                }
                session.command("STARTTLS", 220);
                session.use(ServerTls.secure(session.socket, host));
                session.ehlo();
            }
            return session;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Null when the server accepts the login, else its reply. */
    String login(String user, String password) throws IOException {
        if (extensions.stream().noneMatch(e -> e.startsWith("AUTH") && e.contains("PLAIN"))) {
            throw new SmtpException("offers no AUTH PLAIN (offered: " + String.join(", ", extensions) + ")");
        }
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        send("AUTH PLAIN " + token);
        String reply = reply();
        return reply.startsWith("235") ? null : reply;
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    private void ehlo() throws IOException {
        send("EHLO matrix-install-doctor");
        List<String> lines = lines();
        if (!lines.get(lines.size() - 1).startsWith("250")) {
            throw new SmtpException("refuses EHLO: " + lines.get(lines.size() - 1));
        }
        List<String> offered = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            offered.add(line.substring(Math.min(4, line.length())).toUpperCase(java.util.Locale.ROOT));
        }
        extensions = offered;
    }

    private void command(String command, int code) throws IOException {
        send(command);
        expect(code, command);
    }

    private void expect(int code, String what) throws IOException {
        String reply = reply();
        if (!reply.startsWith(Integer.toString(code))) {
            throw new SmtpException("unexpected answer to " + what + ": " + reply);
        }
    }

    private void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private String reply() throws IOException {
        List<String> lines = lines();
        return lines.get(lines.size() - 1);
    }

    /** One reply's lines (multi-line replies have '-' after the code). */
    private List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new SmtpException("closed the connection");
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    @Override
    public void close() throws IOException {
        try {
            send("QUIT");
        } catch (IOException ignored) {
            // already gone: closing is all that is left
        } finally {
            socket.close();
        }
    }
}
