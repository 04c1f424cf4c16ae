package io.matrixinstall.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.matrixinstall.host.Answer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Questions;
import io.matrixinstall.host.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's questions a run asks for many keys in one command each, against the test harness's engine: each key's
 * answer is the one it gets asked alone, a missing image or an empty project included.
 */
class EngineQuestionsTest {
    private static final String IMAGE = "matrix-install-it/debian-base:bookworm";

    private final String prefix = "mi-h3-q-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> commands = new ArrayList<>();
    private final Optional<HarnessHost> engine = HarnessHost.find(command -> commands.add(String.join(" ", command.argv())));

    @AfterEach
    void removeContainers() {
        engine.ifPresent(host -> host.docker("rm", "-f", prefix + "-a_db_1", prefix + "-b_nginx_1", prefix + "-c_db_1"));
    }

    private void assumeEngine() {
        assumeTrue(engine.isPresent(), "no test engine prepared (scripts/prepare-test-host.sh)");
        assumeTrue(engine.get().docker("image", "inspect", IMAGE).ok(), "no " + IMAGE + " on the test engine");
    }

    private void create(String project, String service) {
        ExecResult created = engine.get().docker("create", "--name", project + "_" + service + "_1", "--label",
                "com.docker.compose.project=" + project, "--label", "com.docker.compose.service=" + service, IMAGE, "sleep", "300");
        assertTrue(created.ok(), created.stderr());
    }

    @Test
    void twoProjectsContainersInOneCallEachAsAlone() {
        assumeEngine();
        create(prefix + "-a", "db");
        create(prefix + "-b", "nginx");
        create(prefix + "-c", "db"); // a project not asked: in neither answer
        List<String> projects = List.of(prefix + "-a", prefix + "-b", prefix + "-empty");
        FactsHost facts = FactsHost.of(engine.get());
        commands.clear();
        Questions asked = new Questions();
        projects.forEach(project -> asked.add(ProjectContainers.QUESTION, project));
        facts.gather(new Snapshot.Request(List.of(), List.of(), List.of(), List.of()), asked);
        assertEquals(1, commands.size(), commands.toString());
        assertTrue(commands.get(0).contains("docker ps"), commands.toString());
        for (String project : projects) {
            assertEquals(Containers.now(engine.get(), project), facts.answer(ProjectContainers.QUESTION, project), project);
        }
        assertEquals(List.of("db"), facts.answer(ProjectContainers.QUESTION, prefix + "-a").stream().map(ServiceContainer::service).toList());
        assertEquals(List.of("nginx"), facts.answer(ProjectContainers.QUESTION, prefix + "-b").stream().map(ServiceContainer::service).toList());
        assertEquals(List.of(), facts.answer(ProjectContainers.QUESTION, prefix + "-empty"));
    }

    @Test
    void aMissingImageReadsMissingForItselfAndTheOthersKeepTheirIds() {
        assumeEngine();
        String id = engine.get().docker("image", "inspect", "--format", "{{.Id}}", IMAGE).stdout().strip();
        String missing = prefix + "/missing:none";
        String invalid = "Not-A-Valid:Reference!";

        // All there: one docker start, ids in order.
        Map<String, Answer<Optional<String>>> all = ImageIds.QUESTION.answers(List.of(IMAGE, "docker.io/" + IMAGE),
                engine.get().exec(ImageIds.QUESTION.command(List.of(IMAGE, "docker.io/" + IMAGE))));
        assertEquals(Optional.of(id), all.get(IMAGE).get());
        assertEquals(Optional.of(id), all.get("docker.io/" + IMAGE).get());

        // One missing, one refused by the engine: each answers as alone, the present one keeps its id.
        List<String> references = List.of(missing, IMAGE, invalid);
        Map<String, Answer<Optional<String>>> some = ImageIds.QUESTION.answers(references,
                engine.get().exec(ImageIds.QUESTION.command(references)));
        assertEquals(Optional.empty(), some.get(missing).get());
        assertEquals(Optional.of(id), some.get(IMAGE).get());
        HostException refused = assertThrows(HostException.class, () -> some.get(invalid).get());
        assertTrue(refused.getMessage().startsWith("cannot inspect image " + invalid + ": "), refused.getMessage());
        assertEquals(List.of("docker", "image", "inspect", "--format", "{{.Id}}", "--", missing),
                ImageIds.QUESTION.command(List.of(missing)).argv(), "one image alone: docker's own answer");
        assertEquals(Optional.empty(), ImageIds.QUESTION.now(engine.get(), missing));
        assertThrows(HostException.class, () -> ImageIds.QUESTION.now(engine.get(), invalid));
        assertEquals(Optional.of(id), ImageIds.QUESTION.now(engine.get(), IMAGE));
    }
}
