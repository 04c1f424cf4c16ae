package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ImageIds;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.Answer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docker reads answered in-process (command/EngineAnswers) against the real CLI on the harness engine: for each
 * read the answer must be there (not left to the CLI) and be what the CLI prints, byte for byte where the parser reads
 * bytes, and the same to the parser where it reads JSON.
 */
class EngineAnswersIT {
    private static final String PROJECT = "mi-engine-it";
    private static final String VOLUME = "mi-engine-it-volume";
    private static final String IMAGE = "postgres:15-alpine";
    private static final String MISSING_IMAGE = "mi-engine-it/nosuch:1";
    private static final List<String> CONTAINERS = List.of("mi-engine-it-db", "mi-engine-it-stopped");
    private static LocalHost cliHost;

    @BeforeAll
    static void start() throws Exception {
        cliHost = new LocalHost(Files.createTempDirectory("mi-engine-it-run"));
        cleanUp();
        TestEngine.docker("volume", "create", VOLUME).assertOk();
        TestEngine.docker("run", "-d", "--name", CONTAINERS.get(0), "--label", "com.docker.compose.project=" + PROJECT,
                "--label", "com.docker.compose.service=db", "--entrypoint", "sleep", IMAGE, "600").assertOk();
        TestEngine.docker("create", "--name", CONTAINERS.get(1), "--label", "com.docker.compose.project=" + PROJECT,
                "--label", "com.docker.compose.service=stopped", "--entrypoint", "sleep", IMAGE, "600").assertOk();
    }

    @AfterAll
    static void cleanUp() {
        CONTAINERS.forEach(name -> TestEngine.docker("rm", "-f", name));
        TestEngine.docker("volume", "rm", "-f", VOLUME);
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(TestEngine.environment());
        return environment;
    }

    /** What the agent's answer gives, asserting it answered. */
    private static ExecResult answered(Command command) {
        Optional<ExecResult> answer = command.localAnswer().orElseThrow().answer(environment());
        assertTrue(answer.isPresent(), "left to the CLI: " + command.display());
        return answer.get();
    }

    /** What the docker CLI gives for the same argv (no answer attached: the program runs). */
    private static ExecResult cli(Command command) {
        return cliHost.exec(new Command(command.argv(), Optional.empty(), TestEngine.environment(), command.timeout()));
    }

    private static void sameBytes(Command command) {
        assertEquals(cli(command), answered(command), command.display());
    }

    @Test
    void serverVersion() {
        sameBytes(Commands.dockerInfo());
        assertTrue(answered(Commands.dockerInfo()).stdout().matches("[^\\n]+\\n"));
    }

    @Test
    void imageIdsPresentAndMissingInBothForms() {
        String mirrored = "127.0.0.1:15055/library/" + IMAGE; // a reference with a registry and a path: '/' and ':'
        boolean mirroredThere = TestEngine.docker("image", "inspect", mirrored).exitCode() == 0;
        List<String> present = mirroredThere ? List.of(IMAGE, mirrored) : List.of(IMAGE, IMAGE);
        for (List<String> references : List.of(List.of(IMAGE), List.of(MISSING_IMAGE), List.of(present.get(1)), present,
                List.of(IMAGE, MISSING_IMAGE, present.get(1)), List.of(MISSING_IMAGE, "mi-engine-it/other:2"))) {
            Command command = Commands.imageIds(references);
            sameBytes(command);
            assertEquals(values(ImageIds.QUESTION.answers(references, cli(command))),
                    values(ImageIds.QUESTION.answers(references, answered(command))), references.toString());
        }
        assertEquals(Optional.empty(), ImageIds.QUESTION.answers(List.of(MISSING_IMAGE),
                answered(Commands.imageIds(List.of(MISSING_IMAGE)))).get(MISSING_IMAGE).get());
    }

    private static Map<String, Optional<String>> values(Map<String, Answer<Optional<String>>> answers) {
        return answers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    @Test
    void volumePresentAndMissing() {
        sameBytes(Commands.volumeInspect(VOLUME));
        sameBytes(Commands.volumeInspect("mi-engine-it-no-such-volume"));
        assertEquals(0, answered(Commands.volumeInspect(VOLUME)).exitCode());
        assertEquals(1, answered(Commands.volumeInspect("mi-engine-it-no-such-volume")).exitCode());
    }

    @Test
    void projectContainersWithAndWithoutContainersInBothForms() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (List<String> projects : List.of(List.of(PROJECT), List.of(PROJECT + "-none"), List.of(PROJECT, PROJECT + "-none"),
                List.of(PROJECT + "-none", PROJECT + "-neither"))) {
            Command command = Commands.projectContainers(projects);
            ExecResult cli = cli(command);
            ExecResult answer = answered(command);
            assertEquals(cli.exitCode(), answer.exitCode(), projects.toString());
            assertEquals(cli.stderr(), answer.stderr(), projects.toString());
            assertEquals(json.readTree(cli.stdout()), json.readTree(answer.stdout()), projects.toString());
            Map<String, List<ServiceContainer>> parsed = ServiceContainer.parseByProject(answer.stdout());
            assertEquals(ServiceContainer.parseByProject(cli.stdout()), parsed, projects.toString());
            assertEquals(projects.contains(PROJECT) ? List.of("db", "stopped") : List.of(),
                    parsed.getOrDefault(PROJECT, List.of()).stream().map(ServiceContainer::service).toList());
        }
        assertEquals("[]\n", answered(Commands.projectContainers(List.of(PROJECT + "-none"))).stdout());
    }
}
