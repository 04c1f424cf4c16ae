package io.matrixinstall.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.host.Snapshot;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.steps.CertificateStep;
import io.matrixinstall.steps.DockerStep;
import io.matrixinstall.steps.SecretsStep;
import io.matrixinstall.steps.StackStep;
import io.matrixinstall.secrets.SecretGenerator;
import io.matrixinstall.turn.TurnCertificate;
import io.matrixinstall.up.Plans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one step hands another is passed explicitly ({@link Output}); up's proxy phase is in every plan. */
class StepOutputsTest {
    @TempDir
    Path root;

    private PlanContext context(String tlsMode) {
        InstallConfig config = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org", "tls.mode", tlsMode));
        return new PlanContext(config, new RootedHost(new LocalHost(), root), ChangeGate.recording(line -> {}));
    }

    @Test
    void anOutputReadBeforeItsProducerRanNamesTheProducer() {
        Output<ComposeCli> compose = new Output<>("the docker step");
        IllegalStateException e = assertThrows(IllegalStateException.class, compose::get);
        assertEquals("the docker step has not run (a step that needs its output runs without it)", e.getMessage());
        assertThrows(IllegalStateException.class, compose::present);
        compose.none();
        assertFalse(compose.present());
        assertEquals("the docker step had nothing to hand on", assertThrows(IllegalStateException.class, compose::get).getMessage());
        compose.set(ComposeCli.V2);
        assertEquals(ComposeCli.V2, compose.get());
    }

    @Test
    void aConsumerRunWithoutItsProducerFailsInOneLine() {
        DockerStep docker = new DockerStep(null);
        docker.compose().none();
        SecretsStep secrets = new SecretsStep(new SecretGenerator());
        StackStep stack = StackStep.matrix(new TemplateRenderer(), docker.compose(), secrets.secrets());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stack.run(context("none")));
        assertEquals("the secrets step has not run (a step that needs its output runs without it)", e.getMessage());
    }

    /** Up's plan does not branch on the proxy: without one ({@code tls.mode none}) its steps read nothing and do nothing. */
    @Test
    void withoutAProxyTheProxyPhaseReadsNothingAndChangesNothing() {
        PlanContext context = context("none");
        for (Step step : proxyPhase()) {
            Wants wants = new Wants();
            step.wants(context, wants);
            assertEquals(new Snapshot.Request(List.of(), List.of(), List.of(), List.of()), wants.request(), step.name());
            step.run(context);
        }
        assertEquals(List.of(), context.gate().changes());
        // With a proxy the same steps do look (the certificate files, nginx's container).
        Wants wants = new Wants();
        proxyPhase().forEach(step -> step.wants(context("self-signed"), wants));
        assertTrue(!wants.request().read().isEmpty() && !wants.request().commands().isEmpty(), wants.request().toString());
    }

    /** The steps from the certificate step to coturn's certificate, the docker step having found no engine (a dry run). */
    private List<Step> proxyPhase() {
        DockerStep docker = new DockerStep(null);
        docker.compose().none();
        List<Step> steps = Plans.up(new StateDir(root.resolve("state")), docker).steps();
        int from = indexOf(steps, CertificateStep.class);
        int to = indexOf(steps, TurnCertificate.class);
        assertTrue(from > 0 && to > from, steps.toString());
        return new ArrayList<>(steps.subList(from, to + 1));
    }

    private static int indexOf(List<Step> steps, Class<?> type) {
        for (int i = 0; i < steps.size(); i++) {
            if (type.isInstance(steps.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
