package io.matrixinstall.ops;

import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.HostLock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The frame of every command that changes the host (up, start, stop, restart, uninstall; update and refresh
 * too): opened with one call at the start, holding the host lock for the whole command, and closing it appends
 * the outcome to the {@link AuditHistory} ({@code ok} when the command said {@link #succeeded}, otherwise
 * {@code failed} with the reason), then releases the lock. A dry run holds the lock and records nothing.
 */
public final class HostOperation implements AutoCloseable {
    private final AuditHistory history;
    private final String command;
    private final HostLock lock;
    private final Consumer<String> warn;
    private AuditHistory.Entry outcome;
    private String failure = "interrupted";
    private boolean refused;

    private HostOperation(AuditHistory history, String command, HostLock lock, boolean record, Consumer<String> warn) {
        this.history = history;
        this.command = command;
        this.lock = lock;
        this.refused = !record;
        this.warn = warn;
    }

    /**
     * Starts a host-changing command under {@code lock} (just taken with {@code Host.lock}; closed with this);
     * {@code record} false for a dry run.
     */
    public static HostOperation begin(Host host, StateDir state, String command, HostLock lock, boolean record,
            Consumer<String> warn) {
        // The history this operation appends to, read with the plan's other facts (one round trip on a remote host).
        FactsHost facts = FactsHost.of(host);
        facts.alsoGather(java.util.List.of(state.dir()), java.util.List.of(state.history()));
        return new HostOperation(new AuditHistory(facts, state), command, lock, record, warn);
    }

    public void succeeded(boolean changed, String detail) {
        outcome = AuditHistory.Entry.now(command, changed ? "ok" : "no changes", detail);
    }

    /** For update/refresh/rollback: a result with the images that changed. */
    public void finished(String result, String detail, Map<String, AuditHistory.ImageChange> images) {
        AuditHistory.Entry now = AuditHistory.Entry.now(command, result, detail);
        outcome = new AuditHistory.Entry(now.when(), command, result, detail, images);
    }

    public void failed(Throwable e) {
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
        // Refused input or an unfit host (exit 2) changed nothing: no history, and nothing written for it.
        refused |= e instanceof ConfigException || e instanceof PreconditionException;
    }

    /** The state directory itself was removed (uninstall --purge-data): nothing left to append to. */
    public void forget() {
        refused = true;
    }

    @Override
    public void close() {
        try {
            if (!refused) {
                history.append(outcome != null ? outcome : AuditHistory.Entry.now(command, AuditHistory.FAILED, failure));
            }
        } catch (HostException e) {
            warn.accept("cannot append to the history: " + e.getMessage());
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
