package io.matrixinstall.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One IT's install on the harness engine and the packaged agent run against it, as an operator would run it
 * ({@code java -jar matrix-install.jar ARGS}): the test's own temporary tree, Compose projects and ports (the install
 * flags), its state directory and host lock, and the teardown that removes what the install started. Every IT class
 * holds one; see docs/tests.md, "Writing an IT".
 */
public final class Agent {
    public static final Path JAR = Path.of(System.getProperty("matrixinstall.jar", "../installer/target/matrix-install.jar"));
    public static final String DOMAIN = "matrix.example.org";
    public static final String EMAIL = "admin@example.org";

    private final String project;
    private final Path tree;
    private final List<String> ports = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();
    private final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    private Path state = TestEngine.STATE_DIR;
    private boolean resolvesTestDomains;
    /**
     * The commands that take the host lock (they accept the hidden --run-dir). By default each gets this test's own
     * lock, so IT classes running at once (it/pom.xml's it.forks) never wait on each other's installs.
     */
    static final Set<String> LOCKING = Set.of("up", "start", "stop", "restart", "uninstall", "update", "refresh", "renew",
            "backup", "restore", "migrate", "db", "user", "token");
    private Predicate<String> ownLock = LOCKING::contains;
    private int timeoutSeconds = 600;

    private Agent(String project, Path tree) {
        this.project = project;
        this.tree = tree;
    }

    /** A fresh temporary tree (named after {@code prefix}) for an install under the Compose project {@code project}. */
    public static Agent install(String project, String prefix) {
        try {
            return new Agent(project, Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new AssertionError("cannot create a temp directory", e);
        }
    }

    /** An install in {@code tree}, a directory the test made (a layout of its own, see RemoteUpIT). */
    public static Agent at(String project, Path tree) {
        return new Agent(project, tree);
    }

    /** The agent with nothing of a test around it: no engine, state directory or install flags. */
    public static Run bare(String... args) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        argv.addAll(List.of(args));
        return Run.of(argv);
    }

    /** Synapse's and Element's loopback ports (the proxy keeps its defaults, unused by a --tls none install). */
    public Agent ports(int synapse, int element) {
        ports.clear();
        ports.addAll(List.of("--set", "ports.synapse=" + synapse, "--set", "ports.element=" + element));
        return this;
    }

    public Agent ports(int synapse, int element, int http, int https, int federation) {
        ports(synapse, element);
        ports.addAll(List.of("--set", "ports.http=" + http, "--set", "ports.https=" + https,
                "--set", "ports.federation=" + federation));
        return this;
    }

    /** Flags of the test's own that every install command carries (its TLS mode, schedules, …). */
    public Agent settings(String... flags) {
        settings.addAll(List.of(flags));
        return this;
    }

    /** Records in {@code tree/state} instead of the test JVM's shared temp state directory. */
    public Agent ownState() {
        state = tree.resolve("state");
        return this;
    }

    public Agent state(Path directory) {
        state = directory;
        return this;
    }

    /**
     * The agent resolves the test domains as the test JVM does (ACME, doctor's probes, the proxy's name), the way a
     * server would: it runs where /etc/hosts names them and no DNS server answers ({@link TestDomains}).
     */
    public Agent resolvingTestDomains() {
        resolvesTestDomains = true;
        return this;
    }

    /**
     * The commands that get a host lock of this test's own (the hidden --run-dir), so other tests on the machine never
     * make them wait; commands without the option (reports that take no lock) must not get it.
     */
    public Agent ownLockFor(Predicate<String> command) {
        ownLock = command;
        return this;
    }

    public Agent timeout(int seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    public Path tree() {
        return tree;
    }

    public String project() {
        return project;
    }

    public Path state() {
        return state;
    }

    /** A secret the install generated (data/matrix/secrets/NAME), e.g. Synapse's registration_shared_secret. */
    public String secret(String name) {
        try {
            return Files.readString(tree.resolve("data/matrix/secrets").resolve(name)).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read the install's " + name, e);
        }
    }

    /**
     * The flags that keep an install inside the test's tree: the test domain, the data, proxy and schedule
     * directories under {@link #tree()}, the Compose projects PROJECT and PROJECT-proxy, the test's ports and settings.
     */
    public List<String> installFlags() {
        List<String> flags = new ArrayList<>(List.of("--domain", DOMAIN, "--email", EMAIL, "--base-dir", tree + "/data/matrix",
                "--set", "proxy_dir=" + tree + "/root/nginx", "--set", "proxy_data_dir=" + tree + "/data/nginx",
                "--set", "compose.matrix_project=" + project, "--set", "compose.proxy_project=" + project + "-proxy",
                "--set", "renewal.agent_dir=" + tree + "/agent", "--set", "renewal.cron_dir=" + tree + "/cron.d",
                "--set", "renewal.systemd_dir=" + tree + "/systemd"));
        flags.addAll(ports);
        flags.addAll(settings);
        return flags;
    }

    /** {@code command}, then the install flags, then {@code extra} (a later --set of the same key wins). */
    public List<String> withFlags(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(installFlags());
        args.addAll(List.of(extra));
        return args;
    }

    /** The agent's full command line for {@code args}. */
    public List<String> argv(List<String> args) {
        return resolving(java(args));
    }

    /** The java command line for {@code args}, with this test's own lock for a locking command. */
    private List<String> java(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        argv.addAll(args);
        if (!args.isEmpty() && ownLock.test(args.get(0))) {
            argv.addAll(List.of("--run-dir", tree.resolve("run").toString()));
        }
        return argv;
    }

    /** {@code argv} where the test domains resolve, if this test asked for that (its files under tree/resolver). */
    private List<String> resolving(List<String> argv) {
        return resolvesTestDomains ? TestDomains.resolving(tree.resolve("resolver"), argv) : argv;
    }

    /** The harness engine (DOCKER_HOST) and this agent's state directory. */
    public Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(TestEngine.environment());
        environment.put("MATRIX_INSTALL_STATE_DIR", state.toString());
        return environment;
    }

    /** {@code command} with the install flags, then {@code extra}. */
    public Run runWithFlags(String command, String... extra) {
        return run(withFlags(command, extra));
    }

    public Run run(String... args) {
        return run(List.of(args));
    }

    public Run run(List<String> args) {
        Run run = Run.of(argv(args), environment(), timeoutSeconds);
        runs.add(run);
        return run;
    }

    /**
     * The same, the java command line passed through {@code wrap} (e.g. LoopbackDns#resolving: another DNS server)
     * inside the test domains' mounts, so the wrapper's own mounts win.
     */
    public Run runWrapped(UnaryOperator<List<String>> wrap, String... args) {
        Run run = Run.of(resolving(wrap.apply(java(List.of(args)))), environment(), timeoutSeconds);
        runs.add(run);
        return run;
    }

    /** The agent for {@code args} to start in the background (a test that watches or kills it). */
    public ProcessBuilder process(List<String> args) {
        ProcessBuilder builder = new ProcessBuilder(argv(args));
        builder.environment().putAll(environment());
        return builder;
    }

    /**
     * Runs the agent for {@code args} and SIGKILLs it, with the programs it runs (docker CLI, docker-compose), as soon
     * as it prints a line starting with {@code point}, as when its session dies: no shutdown hooks, no finally blocks,
     * a compose run cut short. False when it never printed one.
     */
    public boolean killedAt(String point, List<String> args) throws IOException, InterruptedException {
        Process process = process(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(point)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    killed = true;
                    break;
                }
            }
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(args + " did not end within " + timeoutSeconds + " s");
        }
        return killed;
    }

    /** Every run so far, in order (a test that checks what the agent ever printed). */
    public List<Run> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** Removes both Compose stacks with their volumes, then the tree (secrets, dumps, state: nothing stays behind). */
    public void tearDown() {
        String[][] stacks = {{project + "-proxy", "root/nginx/compose.yml"}, {project, "data/matrix/docker-compose.yml"}};
        for (String[] stack : stacks) {
            Path compose = tree.resolve(stack[1]);
            if (Files.exists(compose)) {
                Run.of(List.of("docker-compose", "-p", stack[0], "-f", compose.toString(), "down", "-v", "--remove-orphans"),
                        TestEngine.environment(), 300);
            }
        }
        Run.of(List.of("rm", "-rf", tree.toString()));
    }
}
