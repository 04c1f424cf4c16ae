package io.matrixinstall.up;

import io.matrixinstall.component.Schedule;
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
import io.matrixinstall.turn.TurnCertificate;
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
        SecretsStep secrets = new SecretsStep(new SecretGenerator());
        return List.of(new ForeignDirectoryGuard(), new ServerNameGuard(), new DirectoriesStep(), secrets,
                new ConfigFilesStep(new TemplateRenderer(), secrets.secrets()));
    }

    public static Plan files() {
        return new Plan(layoutSteps());
    }

    /**
     * Everything {@code up} does, in order: check the host, get Docker, lay out files (the Synapse check
     * guards the write of its config), then start the stack, wait until Synapse is healthy, and only
     * then open the public proxy (its steps do nothing without one, {@code tls.mode none}). What a step hands on is
     * passed here: the docker step's Compose, the secrets step's secrets, the reload step's signal.
     */
    public static Plan up() {
        return up(StateDir.resolve(Optional.empty()));
    }

    /** The same, recording the configuration in {@code state} once the files are laid out. */
    public static Plan up(StateDir state) {
        return up(state, new DockerStep(new TemplateRenderer()));
    }

    /** The same, with {@code docker} as its docker step: the caller's steps after it use its Compose too. */
    public static Plan up(StateDir state, DockerStep docker) {
        TemplateRenderer renderer = new TemplateRenderer();
        // One agent for the guard and both schedules: the host is asked about it once.
        AgentOnHost agent = new AgentOnHost(state);
        SecretsStep secrets = new SecretsStep(new SecretGenerator());
        NginxReloadStep reload = new NginxReloadStep(docker.compose());
        List<Step> steps = new ArrayList<>(List.of(
                new PreflightStep(),
                // Before anything is installed or read there: a directory that is someone else's, or a refused
                // server name, must leave the host untouched.
                new ForeignDirectoryGuard(),
                new ServerNameGuard(),
                new PostgresMajorGuard(),
                new SecretsGuard(),
                new AgentGuard(agent),
                docker,
                new DirectoriesStep(),
                secrets,
                new ImagesStep(docker.compose()),
                new SynapseConfigCheckStep(renderer, docker.compose(), secrets.secrets()),
                new ConfigFilesStep(renderer, secrets.secrets()),
                new RecordConfigStep(renderer, state),
                new LeftoversStep(docker.compose()),
                new DatabaseVolumeStep(docker.compose()),
                StackStep.matrix(renderer, docker.compose(), secrets.secrets()),
                new WaitHealthyStep(),
                new CertificateStep(),
                StackStep.proxy(renderer, docker.compose(), secrets.secrets()),
                new AcmeStep(false),
                reload,
                // Last: nginx-certbot only serves the domain once its own scripts loaded the block after the signal.
                new ProxyServingStep(docker.compose(), reload.signalled()),
                // The certificate exists now: coturn's TLS listener loads it (turn.enabled, where the agent holds one).
                new TurnCertificate(docker.compose())));
        // Also when one is switched off: its step then removes the earlier schedule.
        for (Schedule schedule : Schedule.ALL) {
            steps.add(new ScheduleStep(schedule, renderer, state, agent));
        }
        return new Plan(steps);
    }

    /**
     * `renew`: find the running engine and Compose (never install or start them: that is `up`'s job), then
     * renew the ACME certificate when due (or when forced); nginx and coturn (turn.enabled) then serve the new one.
     */
    public static Plan renew(boolean force) {
        LocateDockerStep docker = new LocateDockerStep();
        return new Plan(List.of(docker, new AcmeStep(force), new NginxReloadStep(docker.compose()),
                new TurnCertificate(docker.compose())));
    }
}
