package io.matrixinstall.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.LocalAnswer;
import io.matrixinstall.host.LocalAnswers;
import io.matrixinstall.host.UnixSocketHttp;
import io.matrixinstall.host.UnixSocketHttp.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The docker CLI's reads of a run ({@link Commands#dockerInfo}, {@link Commands#imageIds}, {@link
 * Commands#projectContainers}, {@link Commands#volumeInspect}) answered in-process from the engine's API on its Unix
 * socket ({@link LocalAnswer}): each docker start costs ~15 ms of CPU, a no-op run makes six.
 *
 * <p>Only where the CLI would talk to that socket and the answer is one whose words are known: DOCKER_HOST a
 * {@code unix://} address (else the default socket), no context chosen (DOCKER_CONTEXT, or the CLI configuration's
 * currentContext; also beside DOCKER_HOST, which the CLI would prefer: then the CLI decides), no API version forced, a {@code docker} program on PATH (without one the command fails, and so
 * must its answer). Anything else (another kind of address, a socket absent or refusing, a status the CLI's words are
 * not known for, no answer within {@link #LIMIT}) answers empty and the CLI runs, speaking for itself.
 */
public final class EngineAnswers {
    /** Far below the commands' own limit: the CLI still has its time when the engine is slow. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    private static final String UNIX = "unix://";
    /** How the CLI prints an error the engine answered with (its JSON "message"). */
    private static final String DAEMON_ERROR = "Error response from daemon: ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT_LABEL = "com.docker.compose.project";

    private EngineAnswers() {}

    /** {@code docker info --format {{.ServerVersion}}}: the engine's version, from /version (as /info has it). */
    public record ServerVersion() implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            return Engine.of(environment).flatMap(engine -> engine.get("/version")).filter(r -> r.status() == 200)
                    .flatMap(r -> text(r, "Version")).map(version -> new ExecResult(0, version + "\n", ""));
        }
    }

    /** {@code docker volume inspect --format {{.Name}} VOLUME}. */
    public record VolumeName(String volume) implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            return Engine.of(environment).flatMap(engine -> engine.get("/volumes/" + pathSegment(volume))).flatMap(r -> r.status() == 200
                    ? text(r, "Name").map(name -> new ExecResult(0, name + "\n", "")) : notFound(r));
        }
    }

    /** {@link Commands#imageIds}, both forms: the ids one a line when all are there, else each image's own answer. */
    public record ImageIds(List<String> references) implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            Optional<Engine> engine = Engine.of(environment);
            if (engine.isEmpty()) {
                return Optional.empty();
            }
            List<ExecResult> each = new ArrayList<>();
            for (String reference : references) {
                Optional<ExecResult> alone = engine.get().get("/images/" + pathSegment(reference) + "/json")
                        .flatMap(r -> r.status() == 200 ? text(r, "Id").map(id -> new ExecResult(0, id + "\n", "")) : notFound(r));
                if (alone.isEmpty()) {
                    return Optional.empty();
                }
                each.add(alone.get());
            }
            if (references.size() == 1) {
                return Optional.of(each.get(0));
            }
            StringBuilder out = new StringBuilder();
            if (each.stream().allMatch(ExecResult::ok)) {
                each.forEach(result -> out.append(result.stdout()));
                return Optional.of(new ExecResult(0, out.toString(), ""));
            }
            for (ExecResult result : each) { // the script's: stdout as printed, its errors as $(...) keeps them
                out.append(result.stdout()).append(Commands.FIELD_END).append(result.exitCode()).append(Commands.FIELD_END)
                        .append(result.stderr().replaceAll("\n+$", "")).append(Commands.FIELD_END);
            }
            return Optional.of(new ExecResult(0, out.toString(), ""));
        }
    }

    /**
     * {@link Commands#projectContainers}, both forms: the containers whose project label is one asked, in the order
     * the engine lists them, as {@code docker inspect} prints them (a JSON array; {@code []} when none).
     */
    public record ProjectContainers(List<String> projects) implements LocalAnswer {
        @Override
        public Optional<ExecResult> answer(Map<String, String> environment) {
            Optional<Engine> engine = Engine.of(environment);
            if (engine.isEmpty()) {
                return Optional.empty();
            }
            String label = projects.size() == 1 ? PROJECT_LABEL + "=" + projects.get(0) : PROJECT_LABEL;
            Optional<Response> listed = engine.get().get("/containers/json?all=1&filters="
                    + queryValue("{\"label\":[" + quoted(label) + "]}"));
            if (listed.isEmpty() || listed.get().status() != 200) {
                return Optional.empty();
            }
            List<String> ids = new ArrayList<>();
            try {
                for (JsonNode container : JSON.readTree(listed.get().body())) {
                    String project = container.path("Labels").path(PROJECT_LABEL).asText("");
                    for (String wanted : projects) { // as the script's loop: once for each project asked that it is
                        if (projects.size() == 1 || wanted.equals(project)) {
                            ids.add(container.path("Id").asText());
                        }
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            StringBuilder out = new StringBuilder("[");
            for (String id : ids) {
                if (!id.matches("[0-9a-f]{64}")) {
                    return Optional.empty();
                }
                Optional<Response> inspected = engine.get().get("/containers/" + id + "/json");
                if (inspected.isEmpty() || inspected.get().status() != 200) {
                    return Optional.empty(); // gone since the listing: the CLI says so in its words
                }
                out.append(out.length() > 1 ? "," : "").append(inspected.get().text().strip());
            }
            return Optional.of(new ExecResult(0, out.append("]\n").toString(), ""));
        }
    }

    /**
     * The engine on the socket the docker CLI would talk to with an environment, decided once per answer (the
     * environment and the CLI's configuration are read once, however many requests the answer makes).
     */
    record Engine(Path socket) {
        /** Empty when the CLI would go elsewhere or decide by what this class does not read. */
        static Optional<Engine> of(Map<String, String> environment) {
            if (!blank(environment.get("DOCKER_CONTEXT")) || !blank(environment.get("DOCKER_API_VERSION"))
                    || LocalAnswers.onPath("docker", environment.getOrDefault("PATH", "")).isEmpty()
                    || !defaultContext(environment)) {
                return Optional.empty();
            }
            String host = environment.get("DOCKER_HOST");
            if (blank(host)) {
                return Optional.of(new Engine(DEFAULT_SOCKET));
            }
            if (!host.startsWith(UNIX) || !host.startsWith("/", UNIX.length())) {
                return Optional.empty(); // tcp://, ssh://, fd://, npipe://: the CLI's own transports
            }
            return Optional.of(new Engine(Path.of(host.substring(UNIX.length()))));
        }

        /** The engine's answer to {@code GET target}; empty when it does not answer in time. */
        Optional<Response> get(String target) {
            try {
                return Optional.of(UnixSocketHttp.get(socket, target, LIMIT));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** The CLI configuration (DOCKER_CONFIG, else ~/.docker) names no context, or "default"; unreadable is not known. */
    private static boolean defaultContext(Map<String, String> environment) {
        String directory = environment.get("DOCKER_CONFIG");
        if (blank(directory)) {
            String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
            if (blank(home)) {
                return false;
            }
            directory = Path.of(home, ".docker").toString();
        }
        Path config = Path.of(directory, "config.json");
        if (!Files.exists(config)) {
            return true;
        }
        try {
            String context = JSON.readTree(config.toFile()).path("currentContext").asText("");
            return context.isEmpty() || context.equals("default");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

    /** A string field of a JSON object body, empty when it is no such object. */
    private static Optional<String> text(Response response, String field) {
        try {
            JsonNode value = JSON.readTree(response.body()).path(field);
            return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A 404 as the CLI's inspect prints it: an empty template line, the engine's message, exit 1. */
    private static Optional<ExecResult> notFound(Response response) {
        if (response.status() != 404) {
            return Optional.empty();
        }
        return text(response, "message").map(message -> new ExecResult(1, "\n", DAEMON_ERROR + message + "\n"));
    }

    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as one path segment's characters, '/' kept (a reference's repository path, as Go's client sends it). */
    static String pathSegment(String value) {
        return percentEncode(value, "-._~/:@!$&'()*+,;=");
    }

    static String queryValue(String value) {
        return percentEncode(value, "-._~");
    }

    private static String percentEncode(String value, String allowed) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || allowed.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
