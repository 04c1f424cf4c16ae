package io.matrixinstall.up;

import io.matrixinstall.component.Schedule;
import io.matrixinstall.component.Components;
import io.matrixinstall.steps.CertificateStep;
import io.matrixinstall.steps.PreflightStep;
import io.matrixinstall.steps.ProxyServingStep;
import io.matrixinstall.steps.AgentGuard;
import io.matrixinstall.steps.ServerNameGuard;
import io.matrixinstall.steps.WaitHealthyStep;
import io.matrixinstall.steps.LocateDockerStep;
import io.matrixinstall.steps.ImagesStep;
import io.matrixinstall.steps.ScheduleStep;
import io.matrixinstall.steps.SecretsStep;
import io.matrixinstall.steps.DirectoriesStep;
import io.matrixinstall.steps.AcmeStep;
import io.matrixinstall.steps.ConfigFilesStep;
import io.matrixinstall.steps.SecretsGuard;
import io.matrixinstall.steps.AgentOnHost;
import io.matrixinstall.steps.StackStep;
import io.matrixinstall.steps.SynapseConfigCheckStep;
import io.matrixinstall.steps.DockerStep;
import io.matrixinstall.steps.NginxReloadStep;
import io.matrixinstall.steps.ForeignDirectoryGuard;
import io.matrixinstall.steps.LeftoversStep;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.db.DatabaseVolumeStep;
import io.matrixinstall.db.PostgresMajorGuard;
import io.matrixinstall.steps.RecordConfigStep;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.SecretGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The plans of {@code up}, {@code render} and {@code renew}: {@code up}, {@code up --dry-run} and {@code render} run the same steps. */
public final class Plans {
    private Plans() {}

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
    public static Plan up(InstallConfig config) {
        return up(config, StateDir.resolve(Optional.empty()));
    }

    /** The same, recording the configuration in {@code state} once the files are laid out. */
    public static Plan up(InstallConfig config, StateDir state) {
        TemplateRenderer renderer = new TemplateRenderer();
        // One agent for the guard and both schedules: the host is asked about it once.
        AgentOnHost agent = new AgentOnHost(state);
        List<Step> steps = new ArrayList<>(List.of(
                new PreflightStep(),
                // Before anything is installed or read there: a directory that is someone else's, or a refused
                // server name, must leave the host untouched.
                new ForeignDirectoryGuard(),
                new ServerNameGuard(),
                new PostgresMajorGuard(),
                new SecretsGuard(),
                new AgentGuard(agent),
                new DockerStep(renderer),
                new DirectoriesStep(),
                new SecretsStep(new SecretGenerator()),
                new ImagesStep(),
                new SynapseConfigCheckStep(renderer),
                new ConfigFilesStep(renderer),
                new RecordConfigStep(renderer, state),
                new LeftoversStep(),
                new DatabaseVolumeStep(),
                StackStep.matrix(renderer),
                new WaitHealthyStep()));
        if (Components.PROXY.enabled(config)) {
            steps.add(new CertificateStep());
            steps.add(StackStep.proxy(renderer));
            steps.add(new AcmeStep(false));
            steps.add(new NginxReloadStep());
            // Last: nginx-certbot only serves the domain once its own scripts loaded the block after the signal.
            steps.add(new ProxyServingStep());
        }
        // Also when one is switched off: its step then removes the earlier schedule.
        for (Schedule schedule : Schedule.ALL) {
            steps.add(new ScheduleStep(schedule, renderer, state, agent));
        }
        return new Plan(steps);
    }

    /**
     * `renew`: find the running engine and Compose (never install or start them: that is `up`'s job), then
     * renew the ACME certificate when due (or when forced).
     */
    public static Plan renew(boolean force) {
        return new Plan(List.of(new LocateDockerStep(), new AcmeStep(force), new NginxReloadStep()));
    }
}
