package io.matrixinstall.steps;

import io.matrixinstall.component.Schedule;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.host.Snapshot;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.provision.JavaRecipe;
import io.matrixinstall.provision.RecipeRun;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent left on the host for its schedules (renew, refresh): the running jar written through the host into
 * {@code renewal.agent_dir} (only when its SHA-256 there differs), and the Java that runs it there. On the machine
 * this JVM runs on, that Java is this JVM's own, as always; on another host (over SSH) it is the distribution's
 * {@code java} from {@code provisioning/jre.yaml}, installed by that recipe when no recent enough one answers.
 * One per plan: both schedules ask, the host is asked once.
 */
public final class AgentOnHost {
    private static final Pattern VERSION = Pattern.compile("version \"(?:1\\.)?(\\d+)");

    private final StateDir state;
    private final Supplier<Optional<Path>> runningJar;
    private final Supplier<Optional<Path>> runningJava;
    private final TemplateRenderer renderer;
    private Optional<String> java;
    private boolean verified;
    private Path localJava;
    /** The host's Java was checked before anything changed; only an install of the JRE since asks for another check. */
    private boolean hostJavaChecked;
    private boolean jreInstalled;
    private OwnJar ownJar;

    public AgentOnHost(StateDir state) {
        this(state, ScheduleStep::runningJar, new TemplateRenderer());
    }

    /** {@code runningJar}: where this agent's jar is (tests hand one in: they run from classes). */
    public AgentOnHost(StateDir state, Supplier<Optional<Path>> runningJar, TemplateRenderer renderer) {
        this(state, runningJar, AgentOnHost::runningJava, renderer);
    }

    /** {@code runningJava}: the Java running this agent (tests hand one in to stand for another installation). */
    public AgentOnHost(StateDir state, Supplier<Optional<Path>> runningJar, Supplier<Optional<Path>> runningJava,
            TemplateRenderer renderer) {
        this.state = state;
        this.runningJar = runningJar;
        this.runningJava = runningJava;
        this.renderer = renderer;
    }

    /** What {@link #ensure} looks at: the agent's directory and jar (its SHA-256 on the host), and the host's Java. */
    public void wants(PlanContext context, Wants wants) {
        InstallConfig config = context.config();
        Path agentJar = Schedule.agentJar(config);
        wants.stat(config.renewal().agentDir(), agentJar);
        // Both schedules ask: the jar is compared (and, for another host, hashed here) once.
        if (ownJar == null) {
            runningJar.get().ifPresent(jar -> ownJar = OwnJar.of(context.host(), jar, agentJar,
                    Schedule.agentJarRecord(config), wants));
        }
        if (!isThisMachine(context.host())) {
            JavaRecipe recipe = JavaRecipe.load();
            for (String distribution : List.of("debian", "ubuntu")) {
                wants.ask(Commands.packagesStatus(recipe.forDistribution(distribution).packages()));
            }
            // Not `java -version`: a JVM start on the host costs more than the round trip it would save; where dpkg
            // does not list the recipe's packages, the runtime's release file (verifyWants) answers.
        }
    }

    /**
     * What {@link #verify} looks at first: every directory above the jar, the recorded configuration and, on another
     * host, every step of the distribution's java's links and the runtime's release file beside where they lead
     * (its version, without starting it).
     */
    void verifyWants(PlanContext context, Wants wants) {
        if (!isThisMachine(context.host())) {
            wants.follow(JavaRecipe.load().java(), RELEASE);
        }
        for (Path path : List.of(Schedule.agentJar(context.config()), state.config())) {
            for (Path prefix = path; prefix != null; prefix = prefix.getParent()) {
                wants.stat(prefix);
            }
        }
    }

    /**
     * Before anything changes ({@link AgentGuard} runs it early in {@code up}; {@link #ensure} again for a plan
     * without the guard): refuses, in one line, paths root's schedules would run that someone other than root could
     * change: the Java running this agent (on this machine), the agent's jar and the configuration the runs read.
     * A path a schedule names must also not hold what systemd and cron read specially or cannot carry (a control
     * character; and in the program's own path '%' or '$', which systemd expands there). Nothing to check when no
     * schedule is wanted or the agent does not run from a jar.
     */
    public void verify(PlanContext context) {
        if (verified) {
            return;
        }
        InstallConfig config = context.config();
        if (Schedule.ALL.stream().anyMatch(s -> s.enabled(config)) && runningJar.get().isPresent()) {
            Host host = context.host();
            requireRootOnly(host, Schedule.agentJar(config), true, "the agent's jar", "choose a"
                    + " renewal.agent_dir whose parents only root can change (the default is /usr/local/lib/matrix-install)"
                    + UNCHANGED);
            requireRootOnly(host, state.config(), true, "the configuration in the state directory", "keep the state"
                    + " directory where only root can change it (the default is " + StateDir.DEFAULT + ")" + UNCHANGED);
            if (isThisMachine(host)) {
                Path running = runningJava.get().orElseThrow(() -> new PreconditionException("cannot tell which Java runs"
                        + " matrix-install, so cannot schedule it; " + JAVA_FIX + UNCHANGED));
                requireProgramPath(running, JAVA_FIX);
                requireRootOnly(host, running, false, "the Java running matrix-install", JAVA_FIX + UNCHANGED);
                localJava = running;
            } else if (host.stat(JavaRecipe.load().java()).isPresent()) {
                requireHostJava(host, JavaRecipe.load().java(), false, UNCHANGED);
                hostJavaChecked = true;
            }
        }
        verified = true;
    }

    private static final String UNCHANGED = "; nothing was changed";
    /** What to do when the Java running matrix-install on this machine is refused. */
    private static final String JAVA_FIX = "run matrix-install with a Java only root can change, such as the distribution's"
            + " /usr/bin/java (sudo /usr/bin/java -jar matrix-install.jar up), or make that path root's and not writable by"
            + " group or others";

    /** Refuses {@code path} unless only root can change it, naming the component at fault and {@code fix}. */
    private static void requireRootOnly(Host host, Path path, boolean absentIsFine, String what, String fix) {
        if (path.toString().chars().anyMatch(Character::isISOControl)) {
            throw new PreconditionException("refusing to schedule root's runs of " + what + ": its path holds a control"
                    + " character; " + fix);
        }
        RootOnlyPath.problem(host, path, absentIsFine).ifPresent(problem -> {
            throw new PreconditionException("refusing to schedule root's runs of " + what + " " + path + ": " + problem
                    + ", so someone other than root could change what root runs; " + fix);
        });
    }

    /** systemd expands '%' and '$' in a unit's program path, where no escape is documented to undo it. */
    private static void requireProgramPath(Path java, String fix) {
        if (java.toString().contains("%") || java.toString().contains("$")) {
            throw new PreconditionException("refusing to schedule root's runs of the Java " + java + ": a systemd unit"
                    + " cannot name a program whose path holds '%' or '$'; " + fix);
        }
    }

    /**
     * Leaves the jar and a Java to run it; the Java command the schedules run, or empty when the agent does not
     * run from a jar (nothing to leave).
     */
    public Optional<String> ensure(PlanContext context) {
        if (java != null) {
            return java;
        }
        Optional<Path> jar = runningJar.get();
        if (jar.isEmpty()) {
            java = Optional.empty();
            return java;
        }
        verify(context);
        InstallConfig config = context.config();
        Path agentJar = Schedule.agentJar(config);
        if (!context.changed(agentJar)) { // another instance in this run left it already (a dry run would list it twice)
            FileSync.directory(context, new ManagedDirectory(config.renewal().agentDir(), Ownership.ROOT, Layout.DIR));
            Path record = Schedule.agentJarRecord(config);
            OwnJar content = ownJar != null ? ownJar : OwnJar.of(context.host(), jar.get(), agentJar, record, new Wants());
            if (!FileSync.largeFile(context, agentJar, content, Ownership.ROOT, Layout.PUBLIC_FILE) && content.recordStale()) {
                // After any owner or mode fix above, whose new ctime the record then holds.
                context.gate().submit(ChangeGate.Change.write(record, "write " + record + " (" + Ownership.ROOT + " "
                        + FileState.modeString(Layout.PUBLIC_FILE) + ", the SHA-256 and stat of " + agentJar + ")"),
                        () -> content.record(context.host()));
            }
            AgentSchedule.removeLegacyConfig(context, state);
        }
        java = Optional.of(isThisMachine(context.host()) ? localJava.toString() : hostJava(context));
        return java;
    }

    /**
     * The host is the machine this agent runs on (no {@code --host}): its schedules use the Java running it now, and
     * there is no other engine to push images from. The one place that tells local from remote.
     */
    public static boolean isThisMachine(Host host) {
        return host.thisMachine();
    }

    private static Optional<Path> runningJava() {
        return ProcessHandle.current().info().command().map(Path::of);
    }

    /**
     * The distribution's java on the host, installed by the JRE recipe when it is missing or too old, and only root's
     * to change (a dry run before the install finds none to check).
     */
    private String hostJava(PlanContext context) {
        String java = installedHostJava(context);
        if (!hostJavaChecked || jreInstalled) {
            requireHostJava(context.host(), Path.of(java), !context.gate().applies(), "");
        }
        return java;
    }

    /** The host's Java, refused unless only root can change it ({@code absentIsFine}: a dry run before the install). */
    private static void requireHostJava(Host host, Path java, boolean absentIsFine, String unchanged) {
        String fix = "install the distribution's Java on " + host.name() + " at a path without them" + unchanged;
        requireProgramPath(java, fix);
        requireRootOnly(host, java, absentIsFine, "the Java on " + host.name(), "make that path, its links and the"
                + " runtime they lead to root's and not writable by group or others" + unchanged);
    }

    private String installedHostJava(PlanContext context) {
        JavaRecipe recipe = JavaRecipe.load();
        Host host = context.host();
        RecipeRun run = new RecipeRun(context, renderer);
        // The recipe's packages installed: its java is recent enough (asking dpkg is cheaper than starting a JVM).
        if (run.installed(recipe.forDistribution(run.os().id()).packages())) {
            return recipe.java().toString();
        }
        OptionalInt found = feature(host, recipe.java());
        if (found.isPresent() && found.getAsInt() >= recipe.minimum()) {
            return recipe.java().toString(); // another runtime the admin installed as the distribution's java
        }
        if (found.isPresent()) {
            context.progress(recipe.java() + " on " + host.name() + " is Java " + found.getAsInt() + "; the agent's schedules need "
                    + recipe.minimum() + " or later");
        }
        jreInstalled = true;
        run.converge(recipe.forDistribution(run.os().id()));
        if (context.gate().applies()) {
            OptionalInt installed = running(host, recipe.java()); // just installed: proven by running it
            if (installed.isEmpty() || installed.getAsInt() < recipe.minimum()) {
                throw new StepFailedException("after installing " + String.join(" ", recipe.forDistribution(run.os().id()).packages())
                        + ", " + recipe.java() + " on " + host.name() + " is " + (installed.isEmpty() ? "still missing"
                        : "Java " + installed.getAsInt()) + "; the agent's schedules need Java " + recipe.minimum() + " or later");
            }
        }
        return recipe.java().toString();
    }

    /**
     * The feature release of {@code java} on the host ({@code 17} for "17.0.9", {@code 8} for "1.8.0"): from the
     * {@code release} file of the runtime image it leads to (its home: bin/java's parent's parent), else, without
     * one or when it does not say, from {@code java -version}, if it runs. Read through the facts: a snapshot that
     * followed the path ({@link #verifyWants}) answers without asking the host or starting a JVM there.
     */
    static OptionalInt feature(Host host, Path java) {
        OptionalInt released = released(host, java);
        return released.isPresent() ? released : running(host, java);
    }

    /** Beside bin/java, where the runtime image's {@code release} file is (JAVA_VERSION="17.0.15"). */
    private static final Path RELEASE = Path.of("../release");
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    private static OptionalInt released(Host host, Path java) {
        try {
            FactsHost facts = FactsHost.of(host);
            Optional<Path> resolved = facts.resolve(java, List.of(RELEASE));
            Optional<byte[]> release = resolved.isPresent() ? facts.read(Snapshot.Follow.beside(resolved.get(), RELEASE))
                    : Optional.empty();
            Matcher m = RELEASE_VERSION.matcher(release.map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(""));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (HostException | NumberFormatException e) {
            return OptionalInt.empty(); // not there, refused (a link, a FIFO), unreadable: ask the java itself
        }
    }

    /** {@code java -version}'s banner: a JVM started on the host. */
    static OptionalInt running(Host host, Path java) {
        try {
            ExecResult result = FactsHost.of(host).ask(Commands.javaVersion(java));
            Matcher m = VERSION.matcher(result.stderr() + result.stdout());
            return result.ok() && m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (HostException e) {
            return OptionalInt.empty(); // not installed (or a host that runs nothing)
        }
    }
}
