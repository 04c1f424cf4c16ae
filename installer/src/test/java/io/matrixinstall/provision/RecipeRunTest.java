package io.matrixinstall.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.render.TemplateRenderer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipe actions run for real on this machine, into a temp directory: a download from a server on loopback (curl),
 * a template with the host's facts (dpkg's architecture), packages dpkg lists as installed. Each is done once.
 */
class RecipeRunTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private int downloads;

    @BeforeEach
    void keyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 21401), 0);
        server.createContext("/gpg", exchange -> {
            downloads++;
            byte[] key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, key.length);
            exchange.getResponseBody().write(key);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Recipe recipe() {
        Path key = dir.resolve("keyrings/docker.asc");
        return new Recipe(List.of(
                new InstallPackages(List.of("coreutils", "dpkg"), Optional.empty()),
                new DownloadFile("http://127.0.0.1:21401/gpg", key),
                new TemplateFile("host/docker.list.ftl", dir.resolve("sources/docker.list"),
                        Map.of("repository", "https://download.docker.com/linux/debian", "key_file", key.toString()), false),
                new TemplateFile("host/daemon.json.ftl", dir.resolve("docker/daemon.json"), Map.of(), true)));
    }

    private List<String> converge(boolean apply) {
        ChangeGate gate = apply ? ChangeGate.applying(line -> {}) : ChangeGate.recording(line -> {});
        PlanContext context = new PlanContext(ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org")), new LocalHost(dir.resolve("run")), gate, RunOptions.defaults(), line -> {},
                DockerEngine::connect);
        new RecipeRun(context, new TemplateRenderer()).converge(recipe());
        return gate.changes();
    }

    @Test
    void eachActionIsDoneOnceAndOnlyWhatDiffersIsDoneAgain() throws Exception {
        List<String> planned = converge(false);
        assertEquals(List.of(
                "download http://127.0.0.1:21401/gpg to " + dir.resolve("keyrings/docker.asc") + " (root:root 0644)",
                "write " + dir.resolve("sources/docker.list") + " (root:root 0644)",
                "write " + dir.resolve("docker/daemon.json") + " (root:root 0644)"), planned, "installed packages are left alone");
        assertEquals(0, downloads, "a dry run downloads nothing");
        assertEquals(planned, converge(true));
        assertEquals("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", Files.readString(dir.resolve("keyrings/docker.asc")));
        assertEquals(List.of("docker.asc"), List.of(dir.resolve("keyrings").toFile().list()), "no download left aside");
        String arch = new String(new ProcessBuilder("dpkg", "--print-architecture").start().getInputStream().readAllBytes()).strip();
        String list = Files.readString(dir.resolve("sources/docker.list"));
        assertTrue(list.contains("deb [arch=" + arch + " signed-by=" + dir.resolve("keyrings/docker.asc")
                + "] https://download.docker.com/linux/debian bookworm stable"), list);
        assertEquals("{}\n", Files.readString(dir.resolve("docker/daemon.json")));

        assertEquals(List.of(), converge(true), "a second run does nothing");
        Files.writeString(dir.resolve("sources/docker.list"), "edited\n");
        Files.writeString(dir.resolve("docker/daemon.json"), "{\"log-driver\": \"local\"}\n");
        assertEquals(List.of("write " + dir.resolve("sources/docker.list") + " (root:root 0644)"), converge(true),
                "the source is the recipe's; daemon.json is the admin's once it exists");
        assertEquals(1, downloads);
    }
}
