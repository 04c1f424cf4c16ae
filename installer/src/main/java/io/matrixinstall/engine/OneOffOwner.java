package io.matrixinstall.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The agent process that created a one-off container: machine, pid and the process's start time (a reused pid is
 * another process). Written on the container as a label, so a later agent can tell a one-off left by a killed agent
 * from one a live agent is about to start.
 */
record OneOffOwner(String machine, long pid, long startMillis) {

    private static final OneOffOwner CURRENT = new OneOffOwner(machineName(), ProcessHandle.current().pid(),
            startMillis(ProcessHandle.current()));

    static OneOffOwner current() {
        return CURRENT;
    }

    String label() {
        return machine + "/" + pid + "/" + startMillis;
    }

    /**
     * Whether the one-off labelled {@code label} was left behind by a process that is gone. Empty when this machine
     * cannot tell: no label, or another machine's agent.
     */
    Optional<Boolean> leftBehind(String label) {
        Optional<OneOffOwner> owner = parse(label);
        if (owner.isEmpty() || !owner.get().machine.equals(machine) || machine.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(owner.get().pid);
        boolean alive = process.isPresent() && process.get().isAlive() && startMillis(process.get()) == owner.get().startMillis;
        return Optional.of(!alive);
    }

    static Optional<OneOffOwner> parse(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String[] parts = label.split("/", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OneOffOwner(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    /** The kernel's host name plus boot id: two machines (or two boots) never share it. */
    private static String machineName() {
        try {
            return (Files.readString(Path.of("/proc/sys/kernel/hostname")).strip() + ":"
                    + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()).replace("/", "_");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
