package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Synapse that passes its config check but cannot start (an application service file that does not
 * exist is only read at start-up): `up` gives up at --timeout, exits 1 and shows the container's last log
 * lines, where the reason is.
 */
class HealthTimeoutIT {
    static final String PROJECT = "mi-timeout-it";
    static Agent agent;
    static Run run;

    @BeforeAll
    static void upThatCannotBecomeHealthy() throws Exception {
        agent = Agent.install(PROJECT, "matrix-install-timeout-it").ports(18608, 18609).timeout(300);
        Path extra = Files.writeString(agent.tree().resolve("extra.yaml"),
                "app_service_config_files: [\"/data/no-such-appservice.yaml\"]\n");
        run = agent.run(agent.withFlags("up", "--tls", "none", "--pull", "never", "--set", "refresh.schedule=off",
                "--set", "synapse.extra_config=" + extra, "--timeout", "20"));
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    @Test
    void timeoutExitsOneWithTheLogsOfTheContainerThatIsNotHealthy() {
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("matrix-install: Synapse did not answer 200 on http://127.0.0.1:18608/health"
                + " within 20 s; last 50 log lines of synapse"), run.toString());
        assertTrue(run.stderr().contains("No such file or directory: '/data/no-such-appservice.yaml'"), run.stderr());
        assertTrue(run.stderr().contains("waiting for synapse /health"), "progress while waiting: " + run.stderr());
    }
}
