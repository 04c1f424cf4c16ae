package io.matrixinstall.plan;

import io.matrixinstall.render.WantedFiles;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.secrets.Secrets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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
    private WantedFiles wantedFiles;
    private Secrets wantedFor;
    /** Values a step found for the templates (a component's generated secret, a detected address), by model key. */
    private final java.util.Map<String, java.util.Map<String, Object>> templateValues = new java.util.LinkedHashMap<>();

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
     * What every rendered file should hold, rendered once per run (the configuration files, the stacks' inputs
     * labels and the config check all compare with it); again only if the secrets it was rendered with changed.
     */
    public WantedFiles wantedFiles(TemplateRenderer renderer) {
        if (wantedFiles == null || wantedFor != secrets()) {
            wantedFiles = WantedFiles.render(renderer, config, layout, secrets(),
                    HostIpv6.available(host), templateValues);
            wantedFor = secrets();
        }
        return wantedFiles;
    }

    /**
     * Adds {@code values} to the template model's map {@code key} (e.g. "turn"): what a step learnt on the host that the
     * rendered files carry. Files rendered before are rendered again.
     */
    public void useTemplateValues(String key, java.util.Map<String, Object> values) {
        templateValues.put(key, java.util.Map.copyOf(values));
        wantedFiles = null;
    }

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
