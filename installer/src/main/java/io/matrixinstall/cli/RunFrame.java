package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.ops.HostOperation;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one frame every command runs in, so each does the same things in the same order: open the host it acts on
 * (this machine, or {@code --host} over SSH); for a change, take the host lock, build the run's {@link PlanContext}
 * around a {@link ChangeGate} (a dry run only records), run the plan (step timings under {@code --verbose}), append
 * the outcome to the history (not a dry run's), print the closing line; then close the contexts, the lock and the
 * host. A failure leaves by {@link #failed}: one line, exit 2 for refused input or an unfit host (nothing was
 * changed) and 1 otherwise, the stack trace only with {@code --verbose}.
 */
final class RunFrame {

    /** A command's body, run with its host open. */
    interface Body {
        int run(RunFrame frame) throws Exception;
    }

    /** What a change does in its context, and what it says it did. */
    interface Work {
        Outcome run(PlanContext context);
    }

    private final Host host;
    private final Console console;
    private final boolean verbose;
    private final long started = System.nanoTime();

    private RunFrame(Host host, Console console, boolean verbose) {
        this.host = host;
        this.console = console;
        this.verbose = verbose;
    }

    /**
     * Opens the host {@code hostOptions} names ({@code runDir}: where its lock and scratch space are), runs
     * {@code body}, and closes the host; with --verbose, says how many SSH round trips the run made.
     */
    static int run(CommandSpec spec, HostOptions hostOptions, Path runDir, Body body) throws Exception {
        boolean verbose = verbose(spec);
        Console console = Console.system();
        // Facts gathered once per run answer its reads (FactsHost), the configuration's and the checks' too.
        Host host = FactsHost.of(hostOptions.open(runDir));
        try {
            return body.run(new RunFrame(host, console, verbose));
        } finally {
            host.close();
            if (hostOptions.remote() && verbose) {
                console.progress(host.name() + ": " + host.roundTrips() + " SSH round trips");
            }
        }
    }

    /** The same on this machine, for the commands that touch no host but a local tree (render, config check). */
    static int local(CommandSpec spec, Body body) throws Exception {
        Host host = new LocalHost();
        try {
            return body.run(new RunFrame(host, Console.system(), verbose(spec)));
        } finally {
            host.close();
        }
    }

    /**
     * The error path of every command (picocli's execution exception handler): one line on {@code err}, the stack
     * trace only when {@code verbose}; exit 2 for a refusal (bad input, unfit host: nothing was changed), else 1.
     */
    static int failed(Exception e, PrintWriter err, boolean verbose) {
        err.println("matrix-install: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof ConfigException || e instanceof PreconditionException ? MatrixInstall.BAD_INPUT : MatrixInstall.FAILED;
    }

    /** Whether --verbose was given (an inherited option: it sets the root's field wherever it stands). */
    static boolean verbose(CommandSpec spec) {
        return spec != null && spec.root().userObject() instanceof MatrixInstall root && root.verbose;
    }

    Host host() {
        return host;
    }

    Console console() {
        return console;
    }

    /** A failure handled without an exception (update's rollback): its trace, only with --verbose. */
    void trace(Throwable failure) {
        if (verbose) {
            console.trace(failure);
        }
    }

    /** " in 12.3 s": how long the command has run, for the closing line of a long one. */
    String took() {
        return String.format(" in %.1f s", (System.nanoTime() - started) / 1e9);
    }

    /** Runs {@code plan}; with --verbose, one line per step with its time. */
    void plan(PlanContext context, Plan plan) {
        plan.run(context, (step, elapsed) -> {
            if (verbose) {
                console.progress(String.format("step %s: %.3f s", step.name(), elapsed.toNanos() / 1e9));
            }
        });
    }

    /**
     * What {@code plan} would change on this host, run through a silent recording gate without the lock: the list an
     * operator confirms before a destructive run (uninstall --purge-data).
     */
    List<String> preview(InstallConfig config, Plan plan) {
        ChangeGate gate = ChangeGate.recording(line -> { });
        PlanContext context = new PlanContext(config, host, gate, RunOptions.defaults(), line -> { }, DockerEngine::connect);
        try {
            plan.run(context);
        } finally {
            context.close();
        }
        return gate.changes();
    }

    /** Takes the host lock for a command that changes the host only sometimes (user list); fails naming the holder. */
    HostLock lock(HostLockOptions lockOptions, String command) {
        return lockOptions.acquire(host, command, console);
    }

    /** A change of this host by {@code command}: under the host lock, its outcome appended to the history. */
    Change change(String command, HostLockOptions lockOptions, StateDir state) {
        return new Change(command, host, lockOptions, state);
    }

    /** A change of a file tree on this machine ({@code tree}: rooted at it): no engine, no lock, no history. */
    Change tree(Host tree) {
        return new Change("render", tree, null, null);
    }

    /** One change, described before it runs: its gate, its run options, its lock and history line. */
    final class Change {
        private final String command;
        private final Host on;
        private final HostLockOptions lockOptions;
        private final StateDir state;
        private final List<PlanContext> contexts = new ArrayList<>();
        private final List<Consumer<RuntimeException>> onFailure = new ArrayList<>();
        private boolean dryRun;
        private boolean quiet;
        private boolean history = true;
        private RunOptions options = RunOptions.defaults();
        private ChangeGate gate;

        private Change(String command, Host on, HostLockOptions lockOptions, StateDir state) {
            this.command = command;
            this.on = on;
            this.lockOptions = lockOptions;
            this.state = state;
        }

        /** Only list the changes: the gate records them, the history gets no line (the lock is still taken). */
        Change dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        Change options(RunOptions options) {
            this.options = options;
            return this;
        }

        /** The gate prints nothing: the command says its result itself once it is known to have worked. */
        Change quiet() {
            this.quiet = true;
            return this;
        }

        /** Under the lock, but no history line (renew keeps its own log). */
        Change withoutHistory() {
            this.history = false;
            return this;
        }

        /** Also told of any failure, the lock's included (renew's log). */
        Change onFailure(Consumer<RuntimeException> listener) {
            onFailure.add(listener);
            return this;
        }

        /** Runs {@code work} on {@code config}; the command's exit code. */
        int run(InstallConfig config, Work work) {
            Consumer<String> report = quiet ? line -> { } : console::line;
            gate = dryRun ? ChangeGate.recording(report) : ChangeGate.applying(report);
            Outcome outcome;
            try {
                PlanContext context = context(config);
                if (lockOptions == null) {
                    outcome = work.run(context);
                } else {
                    outcome = locked(context, work);
                }
            } catch (RuntimeException e) {
                RuntimeException failure = e instanceof Outcome.Failed recorded ? recorded.cause() : e;
                onFailure.forEach(listener -> listener.accept(failure));
                throw failure;
            } finally {
                contexts.forEach(PlanContext::close);
            }
            outcome.print(console);
            return outcome.exitCode();
        }

        private Outcome locked(PlanContext context, Work work) {
            HostLock lock = lockOptions.acquire(on, dryRun ? command + " --dry-run" : command, console);
            try (HostOperation operation = HostOperation.begin(on, state, command, lock, history && !dryRun, console::problem)) {
                try {
                    Outcome outcome = work.run(context);
                    outcome.record(operation);
                    return outcome;
                } catch (Outcome.Failed e) {
                    e.outcome().record(operation);
                    throw e;
                } catch (RuntimeException e) {
                    operation.failed(e);
                    throw e;
                }
            }
        }

        /**
         * A context of this run on {@code config}, on the same host, gate and options; closed with the run. The first
         * is the one the work gets; db upgrade makes a second for the new major.
         */
        PlanContext context(InstallConfig config) {
            PlanContext context = new PlanContext(config, on, gate, options, console::progress, DockerEngine::connect);
            contexts.add(context);
            return context;
        }
    }
}
