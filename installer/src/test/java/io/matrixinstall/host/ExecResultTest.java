package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed command is named whole, with the end of what it said, and never with a secret. */
class ExecResultTest {
    private static final String PASSWORD = "Qx7pLm2Rt9Vw4Zs8Kd3Nf6Hj1Bc5Gy0A";
    private static final String TOKEN = "tok-3141592653";

    @Test
    void theWholeCommandIsNamedNotItsFirstWords() {
        Command up = Commands.composeUp(ComposeCli.V2, "matrix", Path.of("/data/matrix/docker-compose.yml"));
        HostException e = assertThrows(HostException.class,
                () -> new ExecResult(1, "", "line 1\nno such service: db\n").requireOk(up));
        assertEquals("docker compose -p matrix -f /data/matrix/docker-compose.yml up -d --remove-orphans failed (exit 1):\n"
                + "line 1\nno such service: db", e.getMessage());
    }

    @Test
    void argumentsAreQuotedAsAShellWouldNeedAndStayOnOneLine() {
        Command describe = new Command(List.of("docker", "inspect", "--format",
                "{{index .Config.Labels \"com.docker.compose.service\"}}\t{{.Id}}\t{{.Image}}\t{{.State.Running}}\t"
                        + "{{with index .State \"Health\"}}{{.Status}}{{end}}\t{{.State.StartedAt}}\t"
                        + "{{index .Config.Labels \"org.matrix-install.inputs\"}}", "abc"), Optional.empty(), Map.of(),
                Duration.ofSeconds(1));
        assertEquals("docker inspect --format '{{index .Config.Labels \"com.docker.compose.service\"}}\\t{{.Id}}\\t"
                + "{{.Image}}\\t{{.State.Running}}\\t{{with index .State \"Health\"}}{{.Status}}{{end}}\\t"
                + "{{.State.StartedAt}}\\t{{index .Config.Labels \"org.matrix-install.inputs\"}}' abc", describe.display());
        Command odd = new Command(List.of("echo", "it's", "a\nb", ""), Optional.empty(), Map.of(), Duration.ofSeconds(1));
        assertEquals("echo 'it'\\''s' 'a\\nb' ''", odd.display());
        assertEquals(odd.display(), odd.toString());
    }

    @Test
    void secretsInArgvOrEnvironmentAreMaskedInTheCommandAndInItsOutput() {
        Command login = new Command(List.of("psql", "--password=" + PASSWORD, "-c", "select 1"), Optional.empty(),
                Map.of("API_TOKEN", TOKEN), Duration.ofSeconds(5)).withSecrets(List.of(PASSWORD, TOKEN));
        assertEquals("psql --password=*** -c 'select 1'", login.display());
        assertEquals(login.display(), login.toString());
        HostException e = assertThrows(HostException.class, () -> new ExecResult(2, "token " + TOKEN + " used\n",
                "FATAL: password " + PASSWORD + " rejected\n").requireOk(login));
        assertEquals("psql --password=*** -c 'select 1' failed (exit 2):\nFATAL: password *** rejected\ntoken *** used",
                e.getMessage());
        // Marking survives the other builders.
        assertEquals("psql --password=*** -c 'select 1'", login.in(Path.of("/tmp")).withTimeout(Duration.ofSeconds(1)).display());
    }

    @Test
    void aRealProgramThatEchoesItsSecretArgumentIsReportedMasked() {
        Command echo = new Command(List.of("sh", "-c", "echo \"bad password $1\" >&2; echo \"$API_TOKEN\"; exit 3", "sh",
                PASSWORD), Optional.empty(), Map.of("API_TOKEN", TOKEN), Duration.ofSeconds(10))
                .withSecrets(List.of(PASSWORD, TOKEN));
        ExecResult result = new LocalHost().exec(echo);
        assertEquals(3, result.exitCode());
        String message = assertThrows(HostException.class, () -> result.requireOk(echo)).getMessage();
        assertEquals("sh -c 'echo \"bad password $1\" >&2; echo \"$API_TOKEN\"; exit 3' sh *** failed (exit 3):\n"
                + "bad password ***\n***", message);
        assertFalse(message.contains(PASSWORD) || message.contains(TOKEN), message);
    }
}
