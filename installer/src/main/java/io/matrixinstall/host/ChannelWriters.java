package io.matrixinstall.host;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.DisconnectListener;
import net.schmizz.sshj.transport.Transport;

/**
 * The threads writing to the channels of one SSH connection, interrupted when it dies. A write waits for the host to
 * read on (its window) for up to {@link SshConnector#WINDOW_WAIT_MS}, and SSHJ wakes a waiting writer only when the
 * window grows, not when the connection ends: without this, a connection lost mid-push held the run for the whole
 * wait. Its death now ends the write at once, and the caller reports the lost connection.
 */
final class ChannelWriters {
    private final Set<Thread> writing = ConcurrentHashMap.newKeySet();
    private volatile boolean dead;

    /** Hears of {@code client}'s end (a disconnect, or the transport dying of an error: both tell its listener). */
    ChannelWriters(SSHClient client) {
        Transport transport = client.getTransport();
        DisconnectListener previous = transport.getDisconnectListener();
        transport.setDisconnectListener((reason, message) -> {
            dead = true; // before the interrupts: a writer arriving now sees it
            writing.forEach(Thread::interrupt);
            if (previous != null) {
                previous.notifyDisconnect(reason, message);
            }
        });
    }

    /** {@code out}, each write and flush of it ended by the connection's death. */
    OutputStream guard(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                run(() -> out.write(b));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                run(() -> out.write(b, off, len));
            }

            @Override
            public void flush() throws IOException {
                run(out::flush);
            }

            @Override
            public void close() throws IOException {
                run(out::close);
            }
        };
    }

    private interface Write {
        void run() throws IOException;
    }

    private void run(Write write) throws IOException {
        Thread me = Thread.currentThread();
        writing.add(me);
        try {
            if (dead) {
                throw new InterruptedIOException("the SSH connection ended");
            }
            write.run();
        } finally {
            writing.remove(me);
            if (dead) {
                Thread.interrupted(); // the interrupt was for this write only
            }
        }
    }
}
