package io.matrixinstall.plan;

import io.matrixinstall.plan.steps.AcmeStep;
import io.matrixinstall.plan.steps.AgentGuard;
import io.matrixinstall.plan.steps.AgentOnHost;
import io.matrixinstall.plan.steps.CertificateStep;
import io.matrixinstall.plan.steps.ConfigFilesStep;
import io.matrixinstall.plan.steps.DockerStep;
import io.matrixinstall.plan.steps.ForeignDirectoryGuard;
import io.matrixinstall.plan.steps.ImagesStep;
import io.matrixinstall.plan.steps.LeftoversStep;
import io.matrixinstall.plan.steps.LocateDockerStep;
import io.matrixinstall.plan.steps.NginxReloadStep;
import io.matrixinstall.plan.steps.PreflightStep;
import io.matrixinstall.plan.steps.ProxyServingStep;
import io.matrixinstall.plan.steps.RenewalScheduleStep;
import io.matrixinstall.plan.steps.StackStep;
import io.matrixinstall.plan.steps.SynapseConfigCheckStep;
import io.matrixinstall.plan.steps.WaitHealthyStep;
import io.matrixinstall.plan.steps.DirectoriesStep;
import io.matrixinstall.plan.steps.SecretsGuard;
import io.matrixinstall.plan.steps.SecretsStep;
import io.matrixinstall.plan.steps.ServerNameGuard;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.SecretGenerator;
import java.util.ArrayList;
import java.util.List;

/** An ordered list of steps. {@code up}, {@code up --dry-run} and {@code render} run the same plan. */
public final class Plan {
    private final List<Step> steps;

    public Plan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The host layout of seed 001: directories, secrets, rendered files. Touches only files. */
    public static List<Step> layoutSteps() {
        return List.of(new ForeignDirectoryGuard(), new ServerNameGuard(), new DirectoriesStep(), new SecretsStep(new SecretGenerator()),
                new ConfigFilesStep(new TemplateRenderer()));
    }

    public static Plan files() {
        return new Plan(layoutSteps());
    }

    /**
     * Everything {@code up} does, in order: check the host, get Docker, lay out files (the Synapse check
     * guards the write of its config), then start the stack, wait until Synapse is healthy, and only
     * then open the public proxy.
     */
    public static Plan up(io.matrixinstall.config.InstallConfig config) {
        return up(config, io.matrixinstall.ops.StateDir.resolve(java.util.Optional.empty()));
    }

    /** The same, recording the configuration in {@code state} once the files are laid out. */
    public static Plan up(io.matrixinstall.config.InstallConfig config, io.matrixinstall.ops.StateDir state) {
        TemplateRenderer renderer = new TemplateRenderer();
        // One agent for the guard and both schedules: the host is asked about it once.
        AgentOnHost agent = new AgentOnHost(state);
        List<Step> steps = new ArrayList<>(List.of(
                new PreflightStep(),
                // Before anything is installed or read there: a directory that is someone else's, or a refused
                // server name, must leave the host untouched.
                new ForeignDirectoryGuard(),
                new ServerNameGuard(),
                new io.matrixinstall.db.PostgresMajorGuard(),
                new SecretsGuard(),
                new AgentGuard(agent),
                new DockerStep(renderer),
                new DirectoriesStep(),
                new SecretsStep(new SecretGenerator()),
                new ImagesStep(),
                new SynapseConfigCheckStep(renderer),
                new ConfigFilesStep(renderer),
                new io.matrixinstall.ops.RecordConfigStep(renderer, state),
                new LeftoversStep(),
                new io.matrixinstall.db.DatabaseVolumeStep(),
                StackStep.matrix(renderer),
                new WaitHealthyStep()));
        if (config.tls().mode() != io.matrixinstall.config.InstallConfig.TlsMode.NONE) {
            steps.add(new CertificateStep());
            steps.add(StackStep.proxy(renderer));
            steps.add(new AcmeStep(false));
            steps.add(new NginxReloadStep());
            // Last: nginx-certbot only serves the domain once its own scripts loaded the block after the signal.
            steps.add(new ProxyServingStep());
        }
        // Also when the mode no longer needs it: the step then removes an earlier schedule.
        steps.add(new RenewalScheduleStep(renderer, state, agent));
        steps.add(new io.matrixinstall.plan.steps.RefreshScheduleStep(renderer, state, agent));
        return new Plan(steps);
    }

    /**
     * `renew`: find the running engine and Compose (never install or start them: that is `up`'s job), then
     * renew the ACME certificate when due (or when forced).
     */
    public static Plan renew(boolean force) {
        return new Plan(List.of(new LocateDockerStep(), new AcmeStep(force), new NginxReloadStep()));
    }

    /** How the gathering of facts shows among the step timings. */
    private static final Step GATHER = new Step() {
        @Override
        public String name() {
            return "facts";
        }

        @Override
        public void run(PlanContext context) {
        }
    };

    public List<Step> steps() {
        return steps;
    }

    public Plan then(List<Step> more) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(more);
        return new Plan(all);
    }

    public void run(PlanContext context) {
        run(context, (step, elapsed) -> {});
    }

    /** Runs every step in order, telling {@code timing} how long each took (for --verbose and the benchmark). */
    public void run(PlanContext context, java.util.function.BiConsumer<Step, java.time.Duration> timing) {
        // The facts every step will compare, read in one snapshot (one round trip on a remote host).
        long gathering = System.nanoTime();
        Wants wants = new Wants();
        steps.forEach(step -> step.wants(context, wants));
        context.facts().gather(wants.request());
        timing.accept(GATHER, java.time.Duration.ofNanos(System.nanoTime() - gathering));
        for (Step step : steps) {
            long start = System.nanoTime();
            step.run(context);
            timing.accept(step, java.time.Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
