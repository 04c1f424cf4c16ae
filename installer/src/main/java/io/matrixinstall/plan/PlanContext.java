package io.matrixinstall.plan;

import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secrets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.nio.file.Path;

/** What the steps of one run share: inputs, the host, the gate, and what earlier steps learned. */
public final class PlanContext {
    private final InstallConfig config;
    private final Layout layout;
    private final FactsHost host;
    private final ChangeGate gate;
    private final DockerCli docker;
    private final RunOptions options;
    private final Consumer<String> progress;
    private final Function<Host, DockerEngine> engineFactory;
    private final Set<Path> changedFiles = new LinkedHashSet<>();
    private java.time.Instant proxySignalledAt;
    private Secrets secrets;
    private DockerEngine engine;
    private ComposeCli composeCli;
    private final Map<Class<?>, Derived> derived = new HashMap<>();

    public PlanContext(InstallConfig config, Host host, ChangeGate gate) {
        this(config, host, gate, RunOptions.defaults(), line -> {}, DockerEngine::connect);
    }

    public PlanContext(InstallConfig config, Host host, ChangeGate gate, RunOptions options, Consumer<String> progress,
            Function<Host, DockerEngine> engineFactory) {
        this.config = config;
        this.layout = new Layout(config);
        this.host = FactsHost.of(host);
        this.docker = new DockerCli(this.host);
        // Engine reads are remembered within a run and forgotten around every applied change.
        this.gate = new ForgettingGate(gate, this.host::forgetAnswers);
        this.options = options;
        this.progress = progress;
        this.engineFactory = engineFactory;
    }

    public RunOptions options() {
        return options;
    }

    /** A line about a long wait or a pull; not a change. */
    public void progress(String line) {
        progress.accept(line);
    }

    /** The host's Docker engine, connected through the host on first use. */
    public DockerEngine engine() {
        if (engine == null) {
            engine = engineFactory.apply(host);
        }
        return engine;
    }

    /** Fast engine reads through the docker CLI on the host. */
    public DockerCli docker() {
        return docker;
    }

    /** False only in a dry run on a host that has no working engine yet (the Docker step said so). */
    public boolean engineAvailable() {
        return composeCli != null;
    }

    public ComposeCli compose() {
        return Optional.ofNullable(composeCli).orElseThrow(() -> new IllegalStateException("docker step has not run"));
    }

    public void useCompose(ComposeCli cli) {
        this.composeCli = cli;
    }

    /**
     * A file write went through the gate. Only a dry run's predictions use this (it writes nothing, so the
     * host cannot tell); real runs decide from what the host holds and runs.
     */
    public void fileChanged(Path path) {
        changedFiles.add(path);
    }

    public boolean changed(Path path) {
        return changedFiles.contains(path);
    }

    public void close() {
        if (engine != null) {
            engine.close();
        }
    }

    public InstallConfig config() {
        return config;
    }

    public Layout layout() {
        return layout;
    }

    public Host host() {
        return host;
    }

    /** The host's facts: gathered once at the start of the plan, kept true by every change made through it. */
    public FactsHost facts() {
        return host;
    }

    public ChangeGate gate() {
        return gate;
    }

    public Secrets secrets() {
        return Optional.ofNullable(secrets).orElseThrow(() -> new IllegalStateException("secrets step has not run"));
    }

    /** Set by the secrets step for the steps after it. */
    public void useSecrets(Secrets secrets) {
        this.secrets = secrets;
    }

    /**
     * A value derived once per run from {@code basis} (compared by identity), computed again only when the basis
     * changes: e.g. every rendered file's content from the secrets.
     */
    public <T> T derived(Class<T> type, Object basis, Supplier<T> compute) {
        Derived held = derived.get(type);
        if (held == null || held.basis() != basis) {
            held = new Derived(basis, compute.get());
            derived.put(type, held);
        }
        return type.cast(held.value());
    }

    private record Derived(Object basis, Object value) {}

    /** The proxy was told to take changed files; its readiness wait looks for a reload after this. */
    public void proxySignalled(java.time.Instant at) {
        proxySignalledAt = at;
    }

    public Optional<java.time.Instant> proxySignalledAt() {
        return Optional.ofNullable(proxySignalledAt);
    }

    /** The run's gate, with the engine reads forgotten before and after each change it applies. */
    private record ForgettingGate(ChangeGate inner, Runnable forget) implements ChangeGate {
        @Override
        public void submit(Change change, Runnable apply) {
            inner.submit(change, () -> {
                forget.run();
                try {
                    apply.run();
                } finally {
                    forget.run();
                }
            });
        }

        @Override
        public java.util.List<Change> recorded() {
            return inner.recorded();
        }

        @Override
        public boolean applies() {
            return inner.applies();
        }
    }
}
