package io.matrixinstall.plan;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.nio.file.Path;

/**
 * What the steps of one run share: inputs, the host and its facts, the gate, the run's record of the files it changed.
 * Not what one step hands another: that is an {@link Output}, passed by the plan's composer.
 */
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
    private DockerEngine engine;
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
