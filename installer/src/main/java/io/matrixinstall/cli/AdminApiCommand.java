package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.plan.ChangeGate;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands acting through Synapse's admin API share (`user …`, `token …`): the recorded configuration,
 * the host, and for changes the host lock and a history line.
 */
abstract class AdminApiCommand implements Callable<Integer> {
    @Mixin
    ChangeOptions.Recorded changeOptions;

    @Spec
    CommandSpec spec;

    /** Runs the body in the frame, with the installed server's configuration. */
    int run(Body body) throws Exception {
        return changeOptions.run(spec, frame -> body.run(frame, changeOptions.load(frame.host())));
    }

    interface Body {
        int run(RunFrame frame, InstallConfig config) throws Exception;
    }

    /** What a change reports: its line on stdout, and the history's detail (which may leave a secret out). */
    record Result(String said, String detail) {
        static Result of(String line) {
            return new Result(line, line);
        }
    }

    /** Runs {@code change} (given the run's gate) under the host lock, with its history line. */
    int change(RunFrame frame, InstallConfig config, String command, Function<ChangeGate, Result> change) {
        // The command says its own result line; the gate's lines would announce a change before it is known to work.
        return frame.change(command, changeOptions.lock(), changeOptions.stateDir()).quiet().run(config, context -> {
            Result result = change.apply(context.gate());
            return Outcome.of(context).changed(!result.said().endsWith("no changes")).detail(result.detail()).said(result.said());
        });
    }

    /**
     * A read; when not {@code ready}, its first use registers the agent's admin account and writes its credentials:
     * a change, so then under the lock.
     */
    static <T> T read(RunFrame frame, HostLockOptions lockOptions, String command, BooleanSupplier ready, Supplier<T> read) {
        if (ready.getAsBoolean()) {
            return read.get();
        }
        try (HostLock lock = frame.lock(lockOptions, command)) {
            return read.get();
        }
    }

    /** The gate of a read: nothing to record, any first-use write applied at once. */
    static ChangeGate readGate() {
        return ChangeGate.applying(line -> { });
    }
}
