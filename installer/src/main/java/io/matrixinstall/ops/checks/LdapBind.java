package io.matrixinstall.ops.checks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One LDAPv3 simple bind (RFC 4511), written out in BER by hand: the one request `doctor` makes of a directory,
 * so no LDAP library (and no JNDI connection pooling) is needed. Unbinds and closes; reads nothing from the tree.
 */
final class LdapBind {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_RESPONSE = 64 * 1024;

    private LdapBind() {}

    /** The bind's result code (0: success, 49: invalid credentials) and the server's diagnostic message. */
    record Result(int code, String diagnostic) {}

    /** Binds as {@code dn} with {@code password} ("" and "" for an anonymous bind), over TLS when {@code ldaps}. */
    static Result bind(InetSocketAddress address, String host, boolean ldaps, String dn, String password) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            Socket socket = ldaps ? ServerTls.secure(plain, host) : plain;
            socket.getOutputStream().write(message(1, tlv(0x60, concat(tlv(0x02, new byte[] {3}),
                    tlv(0x04, dn.getBytes(StandardCharsets.UTF_8)), tlv(0x80, password.getBytes(StandardCharsets.UTF_8))))));
            socket.getOutputStream().flush();
            Result result = response(new DataInputStream(socket.getInputStream()));
            socket.getOutputStream().write(message(2, tlv(0x42, new byte[0]))); // UnbindRequest
            socket.getOutputStream().flush();
            return result;
        }
    }

    private static byte[] message(int id, byte[] operation) {
        return tlv(0x30, concat(tlv(0x02, new byte[] {(byte) id}), operation));
    }

    private static Result response(DataInputStream in) throws IOException {
        if (in.readUnsignedByte() != 0x30) {
            throw new IOException("not an LDAP server (no LDAPMessage in the answer)");
        }
        byte[] message = new byte[length(in)];
        in.readFully(message);
        DataInputStream body = new DataInputStream(new java.io.ByteArrayInputStream(message));
        skip(body, 0x02); // messageID
        if (body.readUnsignedByte() != 0x61) {
            throw new IOException("not an LDAP bind response");
        }
        length(body);
        int code = new java.math.BigInteger(value(body, 0x0a)).intValue();
        value(body, 0x04); // matchedDN
        return new Result(code, new String(value(body, 0x04), StandardCharsets.UTF_8));
    }

    private static void skip(DataInputStream in, int tag) throws IOException {
        value(in, tag);
    }

    private static byte[] value(DataInputStream in, int tag) throws IOException {
        int found = in.readUnsignedByte();
        if (found != tag) {
            throw new IOException("unexpected LDAP element " + Integer.toHexString(found));
        }
        byte[] value = new byte[length(in)];
        in.readFully(value);
        return value;
    }

    private static int length(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new IOException("the directory closed the connection");
        }
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | in.read();
        }
        if (length < 0 || length > MAX_RESPONSE || (first & 0x7f) > 3) {
            throw new IOException("LDAP answer too large");
        }
        return length;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
