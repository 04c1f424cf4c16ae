package io.matrixinstall.host;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/** Opens the one SSH connection of a run: TCP, host key check, key authentication, keep-alive. */
final class SshConnector {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** A keep-alive every 5 s; three unanswered ones (15 s) end the connection, so a dead host fails the run. */
    static final int KEEP_ALIVE_SECONDS = 5;
    static final int KEEP_ALIVE_MISSES = 3;
    /** How long a write to a channel waits for the host to read on (see {@link #connect}). */
    static final int WINDOW_WAIT_MS = 10 * 60_000;

    private SshConnector() {}

    static SSHClient connect(SshTarget target, SshSettings settings, java.util.function.Consumer<String> notices) {
        List<Path> keys = settings.keys();
        if (keys.isEmpty()) {
            throw new HostException("no SSH key to log in to " + target + " with: none of ~/.ssh/id_ed25519, id_ecdsa,"
                    + " id_rsa exists; give one with --identity FILE (matrix-install does not use ssh-agent)");
        }
        for (Path key : keys) {
            if (!Files.isReadable(key)) {
                throw new HostException("cannot read the SSH key " + key);
            }
        }
        // SSHJ would register BouncyCastle as a JCE provider first (a fifth of a second of every run's start): Java 17's
        // own providers carry what ModernSshConfig offers (curve25519 and ECDH, Ed25519 and ECDSA keys, AES-GCM/CTR).
        SecurityUtils.setRegisterBouncyCastle(false);
        DefaultConfig config = new ModernSshConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        KnownHostsCheck check;
        try {
            check = new KnownHostsCheck(settings.knownHosts(), settings.acceptNewHostKey());
        } catch (IOException e) {
            throw new HostException("cannot read " + settings.knownHosts() + ": " + e.getMessage(), e);
        }
        client.addHostKeyVerifier(check);
        client.setConnectTimeout(CONNECT_TIMEOUT_MS);
        try {
            client.connect(target.host(), target.port());
        } catch (IOException e) {
            close(client);
            if (check.refusal() != null) {
                throw new HostException(target + ": " + check.refusal(), e);
            }
            throw new HostException("cannot reach " + target + ": " + reason(e), e);
        }
        if (check.accepted() != null) {
            notices.accept(check.accepted());
        }
        // Read when each channel opens: how long a write waits for the host to take more (its window). SSHJ's 30 s
        // failed an image push whenever the host's docker load paused longer (unpacking a big layer on a busy host),
        // and the load then saw its input cut short. A dead connection is found by the keep-alive meanwhile.
        client.getConnection().setTimeoutMs(WINDOW_WAIT_MS);
        KeepAlive keepAlive = client.getConnection().getKeepAlive();
        keepAlive.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        if (keepAlive instanceof KeepAliveRunner runner) {
            runner.setMaxAliveCount(KEEP_ALIVE_MISSES);
        }
        try {
            List<KeyProvider> providers = new ArrayList<>();
            for (Path key : keys) {
                providers.add(client.loadKeys(key.toString()));
            }
            client.authPublickey(target.user(), providers);
        } catch (UserAuthException e) {
            close(client);
            String listed = String.join(", ", keys.stream().map(Path::toString).toList());
            if (protectedByPassphrase(e)) {
                throw new HostException("cannot log in to " + target + ": " + (keys.size() == 1 ? "the key " : "a key of ")
                        + listed + " is protected by a passphrase, which matrix-install cannot ask for (and it uses no"
                        + " ssh-agent): give a key without one with --identity FILE", e);
            }
            throw new HostException("cannot log in to " + target + ": the host refused the key"
                    + (keys.size() == 1 ? " " : "s ") + listed + " (add its public key to ~" + target.user()
                    + "/.ssh/authorized_keys there, or pick another with --identity FILE)", e);
        } catch (IOException e) {
            close(client);
            throw new HostException("cannot log in to " + target + ": " + reason(e), e);
        }
        return client;
    }

    /** SSHJ reports an encrypted key it has no passphrase for as a decryption failure under the auth failure. */
    private static boolean protectedByPassphrase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.hierynomus.sshj.common.KeyDecryptionFailedException) {
                return true;
            }
        }
        return false;
    }

    /** A transport failure in a few words: "connection refused", "no answer within 10 s". */
    static String reason(Throwable e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host name";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().lines().findFirst().orElse(message);
    }

    static void close(SSHClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // already gone
        }
    }
}
