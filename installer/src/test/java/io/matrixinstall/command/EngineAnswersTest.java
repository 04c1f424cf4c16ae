package io.matrixinstall.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.LocalAnswer;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.ScriptedSocketServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process answers of the docker reads against a real server on a Unix socket speaking the engine's API as
 * scripted, and when they leave the command to the CLI. EngineAnswersIT pins them against the real CLI and engine.
 */
class EngineAnswersTest {
    private static final String ID_A = "a".repeat(64);
    private static final String ID_B = "b".repeat(64);

    @TempDir
    Path dir;
    private Map<String, String> environment;

    @BeforeEach
    void environment() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\nexit 99\n");
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
        environment = new HashMap<>(Map.of("PATH", bin.toString(), "HOME", dir.toString(),
                "DOCKER_HOST", "unix://" + dir.resolve("engine.sock")));
    }

    private ScriptedSocketServer engine(Function<String, List<String>> responder) throws IOException {
        return new ScriptedSocketServer(dir.resolve("engine.sock"), 0, responder);
    }

    private ScriptedSocketServer versionEngine() throws IOException {
        return engine(request -> ScriptedSocketServer.respond(200, "OK", "{\"Version\":\"27.5.1\",\"ApiVersion\":\"1.47\"}\n"));
    }

    @Test
    void answersTheVersionFromTheSocketDockerHostNames() throws IOException {
        try (var engine = versionEngine()) {
            assertEquals(Optional.of(new ExecResult(0, "27.5.1\n", "")), new EngineAnswers.ServerVersion().answer(environment));
            assertTrue(engine.requests().get(0).startsWith("GET /version HTTP/1.1\r\n"), engine.requests().toString());
        }
    }

    @Test
    void anotherKindOfAddressAContextOrAForcedApiVersionIsTheClisOwn() throws IOException {
        LocalAnswer version = new EngineAnswers.ServerVersion();
        try (var engine = versionEngine()) {
            assertTrue(version.answer(environment).isPresent());
            for (Map<String, String> other : List.of(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"),
                    Map.of("DOCKER_HOST", "ssh://root@10.0.0.1"), Map.of("DOCKER_HOST", "unix://relative.sock"),
                    Map.of("DOCKER_CONTEXT", "remote"), Map.of("DOCKER_API_VERSION", "1.41"),
                    Map.of("PATH", dir.resolve("empty").toString()))) {
                Map<String, String> changed = new HashMap<>(environment);
                changed.putAll(other);
                assertEquals(Optional.empty(), version.answer(changed), other.toString());
            }
            assertEquals(1, engine.requests().size(), "asked the engine where the CLI would not");
        }
    }

    @Test
    void theCliConfigurationsCurrentContextIsTheClisOwn() throws IOException {
        LocalAnswer version = new EngineAnswers.ServerVersion();
        try (var engine = versionEngine()) {
            Path config = Files.createDirectories(dir.resolve(".docker")).resolve("config.json");
            Files.writeString(config, "{\"auths\":{},\"currentContext\":\"default\"}");
            assertTrue(version.answer(environment).isPresent());
            Files.writeString(config, "{\"currentContext\":\"remote\"}");
            assertEquals(Optional.empty(), version.answer(environment));
            Files.writeString(config, "{not json");
            assertEquals(Optional.empty(), version.answer(environment));
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            environment.put("DOCKER_CONFIG", elsewhere.toString()); // the one the CLI reads instead
            assertTrue(version.answer(environment).isPresent());
            Files.writeString(elsewhere.resolve("config.json"), "{\"currentContext\":\"remote\"}");
            assertEquals(Optional.empty(), version.answer(environment));
        }
    }

    @Test
    void noEngineOnTheSocketIsTheClisToSay() {
        assertEquals(Optional.empty(), new EngineAnswers.ServerVersion().answer(environment));
        assertEquals(Optional.empty(), new EngineAnswers.VolumeName("v").answer(environment));
    }

    @Test
    void aStatusWithoutKnownWordsIsTheClisToSay() throws IOException {
        try (var engine = engine(request -> ScriptedSocketServer.respond(500, "Internal Server Error", "{\"message\":\"boom\"}"))) {
            assertEquals(Optional.empty(), new EngineAnswers.VolumeName("v").answer(environment));
            assertEquals(Optional.empty(), new EngineAnswers.ImageIds(List.of("a:1")).answer(environment));
            assertEquals(Optional.empty(), new EngineAnswers.ProjectContainers(List.of("p")).answer(environment));
        }
        Files.delete(dir.resolve("engine.sock"));
        try (var engine = engine(request -> ScriptedSocketServer.respond(404, "Not Found", "page not found"))) {
            assertEquals(Optional.empty(), new EngineAnswers.VolumeName("v").answer(environment)); // no JSON message
        }
    }

    /** Through LocalHost with the real docker CLI: a tcp:// engine is the CLI's, which says it cannot connect. */
    @Test
    void localHostStartsTheCliWhenTheAnswerIsEmpty() {
        ExecResult result = new LocalHost(dir.resolve("run")).exec(Commands.dockerInfo()
                .withEnvironment(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1", "DOCKER_CONTEXT", "")));
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("tcp://127.0.0.1:1"), result.stderr());
    }

    @Test
    void aMissingVolumeOrImageIsTheClisNotFound() throws IOException {
        try (var engine = engine(request -> request.startsWith("GET /volumes/")
                ? ScriptedSocketServer.respond(404, "Not Found", "{\"message\":\"get v: no such volume\"}\n")
                : request.startsWith("GET /images/127.0.0.1:5000/x:1/json")
                ? ScriptedSocketServer.respond(200, "OK", "{\"Id\":\"sha256:" + ID_A + "\"}\n")
                : ScriptedSocketServer.respond(404, "Not Found", "{\"message\":\"No such image: y:2\"}\n"))) {
            assertEquals(Optional.of(new ExecResult(1, "\n", "Error response from daemon: get v: no such volume\n")),
                    new EngineAnswers.VolumeName("v").answer(environment));
            assertEquals(Optional.of(new ExecResult(1, "\n", "Error response from daemon: No such image: y:2\n")),
                    new EngineAnswers.ImageIds(List.of("y:2")).answer(environment));
            assertEquals(Optional.of(new ExecResult(0, "sha256:" + ID_A + "\n", "")),
                    new EngineAnswers.ImageIds(List.of("127.0.0.1:5000/x:1")).answer(environment));
            assertEquals(Optional.of(new ExecResult(0, "sha256:" + ID_A + "\nsha256:" + ID_A + "\n", "")),
                    new EngineAnswers.ImageIds(List.of("127.0.0.1:5000/x:1", "127.0.0.1:5000/x:1")).answer(environment));
            assertEquals(Optional.of(new ExecResult(0, "sha256:" + ID_A + "\n\0" + "0\0\0\n\0" + "1\0"
                    + "Error response from daemon: No such image: y:2\0", "")),
                    new EngineAnswers.ImageIds(List.of("127.0.0.1:5000/x:1", "y:2")).answer(environment));
        }
    }

    @Test
    void aProjectsContainersAreInspectedInTheEnginesOrder() throws IOException {
        String listing = "[{\"Id\":\"" + ID_B + "\",\"Labels\":{\"com.docker.compose.project\":\"p\"}},"
                + "{\"Id\":\"" + "c".repeat(64) + "\",\"Labels\":{\"com.docker.compose.project\":\"other\"}},"
                + "{\"Id\":\"" + ID_A + "\",\"Labels\":{\"com.docker.compose.project\":\"q\"}}]\n";
        try (var engine = engine(request -> request.startsWith("GET /containers/json?")
                ? List.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                        Integer.toHexString(listing.length()) + "\r\n" + listing + "\r\n0\r\n\r\n")
                : ScriptedSocketServer.respond(200, "OK", "{\"Id\":\"" + request.substring(16, 80) + "\"}\n"))) {
            ExecResult both = new EngineAnswers.ProjectContainers(List.of("q", "p")).answer(environment).orElseThrow();
            assertEquals(new ExecResult(0, "[{\"Id\":\"" + ID_B + "\"},{\"Id\":\"" + ID_A + "\"}]\n", ""), both);
            assertTrue(engine.requests().get(0).startsWith("GET /containers/json?all=1&filters="
                    + "%7B%22label%22%3A%5B%22com.docker.compose.project%22%5D%7D HTTP/1.1"), engine.requests().get(0));
            assertEquals(new ExecResult(0, "[]\n", ""),
                    new EngineAnswers.ProjectContainers(List.of("none", "neither")).answer(environment).orElseThrow());
        }
    }

    @Test
    void theReadsCarryTheirAnswersAndOtherCommandsNone() {
        assertEquals(Optional.of(new EngineAnswers.ServerVersion()), Commands.dockerInfo().localAnswer());
        assertEquals(Optional.of(new EngineAnswers.VolumeName("v")), Commands.volumeInspect("v").localAnswer());
        assertEquals(Optional.of(new EngineAnswers.ImageIds(List.of("a", "b"))), Commands.imageIds(List.of("a", "b")).localAnswer());
        assertEquals(Optional.of(new EngineAnswers.ProjectContainers(List.of("p"))), Commands.projectContainers(List.of("p")).localAnswer());
        assertEquals(Optional.empty(), Commands.composeVersion(ComposeCli.V2).localAnswer());
        assertEquals(Commands.imageIds(List.of("a")), Commands.imageIds(List.of("a"))); // by value: facts find it again
    }
}
