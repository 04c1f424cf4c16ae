package io.matrixinstall.host;

/**
 * The host-wide lock of one agent run, held from {@link Host#lock} until closed. It is an OS lock that dies
 * with its process, so a killed agent never leaves the host locked.
 */
public interface HostLock extends AutoCloseable {

    /** Who holds it, as other agents are told: "pid 4242, up, since 2026-11-25T18:40:12Z". */
    String holder();

    @Override
    void close();
}
