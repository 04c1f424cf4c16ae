package io.matrixinstall.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.up.Plans;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Command;
import io.matrixinstall.component.Components;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.host.RootedHost;
import io.matrixinstall.secrets.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout plan run against a real directory tree (a RootedHost over the local file system). */
class LayoutPlanTest {
    @TempDir
    Path root;

    /** Seed 001's deployment: the nginx-certbot proxy. */
    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "nginx-certbot"));

    private PlanContext apply(InstallConfig config) {
        PlanContext context = new PlanContext(config, host(), ChangeGate.applying(line -> {}));
        Plans.files().run(context);
        return context;
    }

    private PlanContext dryRun(InstallConfig config) {
        PlanContext context = new PlanContext(config, host(), ChangeGate.recording(line -> {}));
        Plans.files().run(context);
        return context;
    }

    private Host host() {
        return new RootedHost(new LocalHost(), root);
    }

    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private FileState stat(String path) {
        return host().stat(Path.of(path)).orElseThrow(() -> new AssertionError(path + " missing"));
    }

    @Test
    void writesTheSeedLayoutWithItsOwnersAndModes() {
        apply(config);
        Ownership root = Ownership.ROOT;
        Ownership synapse = Ownership.SYNAPSE;
        // path, directory?, owner, mode: seed 001, tightened where a secret would be world-readable.
        Object[][] table = {
            {"/data/matrix", true, root, 0755},
            {"/data/matrix/files", true, synapse, 0755},
            {"/data/matrix/files/media_store", true, synapse, 0755},
            {"/data/matrix/schemas", true, root, 0755},
            {"/data/matrix/secrets", true, root, 0700},
            {"/data/matrix/docker-compose.yml", false, root, 0644},
            {"/data/matrix/element-config.json", false, root, 0644},
            {"/data/matrix/files/homeserver.yaml", false, synapse, 0600},
            {"/data/matrix/files/matrix.example.org.log.config", false, synapse, 0644},
            {"/data/matrix/files/matrix.example.org.signing.key", false, synapse, 0600},
            {"/data/matrix/secrets/postgres_password", false, root, 0600},
            {"/data/matrix/secrets/registration_shared_secret", false, root, 0600},
            {"/data/matrix/secrets/macaroon_secret_key", false, root, 0600},
            {"/data/matrix/secrets/form_secret", false, root, 0600},
            {"/root/nginx", true, root, 0755},
            {"/root/nginx/compose.yml", false, root, 0644},
            {"/data/nginx/nginx-certbot.env", false, root, 0644},
            {"/data/nginx/image-redirector.conf", false, root, 0644},
            {"/data/nginx/certbot-trust", true, root, 0755},
            {"/data/nginx/user_conf.d/_http-redirect.conf", false, root, 0644},
            {"/data/nginx/user_conf.d", true, root, 0755},
            {"/data/nginx/user_conf.d/matrix.example.org.conf", false, root, 0644},
        };
        for (Object[] row : table) {
            FileState state = stat((String) row[0]);
            assertEquals(new FileState((Boolean) row[1], (Ownership) row[2], (Integer) row[3]), state, (String) row[0]);
        }
    }

    @Test
    void agentManagedCertificatesGetTheirDirectoriesAndNoProxyMeansNoProxyFiles() {
        apply(ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org", "email", "admin@example.org")));
        assertEquals(new FileState(true, Ownership.ROOT, 0755), stat("/data/nginx/letsencrypt/live/matrix.example.org"));
        assertEquals(new FileState(true, Ownership.ROOT, 0755), stat("/data/nginx/acme-challenge"));
        assertTrue(host().stat(Path.of("/data/nginx/nginx-certbot.env")).isEmpty(), "certbot settings only for nginx-certbot");

        Path other = root.resolve("none");
        InstallConfig none = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org", "tls.mode", "none", "base_dir", "/none/matrix",
                "proxy_dir", "/none/nginx-stack", "proxy_data_dir", "/none/nginx"));
        apply(none);
        assertTrue(Files.exists(other.resolve("matrix/docker-compose.yml")));
        assertFalse(Files.exists(other.resolve("nginx")), "no proxy, no proxy files");
        assertFalse(Files.exists(other.resolve("nginx-stack")), "no proxy, no proxy files");
    }

    @Test
    void renderingTwiceIsByteIdenticalAndTheSecondRunChangesNothing() throws IOException {
        PlanContext first = apply(config);
        assertFalse(first.gate().changes().isEmpty());
        Map<String, byte[]> before = snapshot();
        PlanContext second = apply(config);
        assertEquals(List.of(), second.gate().changes());
        Map<String, byte[]> after = snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((path, bytes) -> assertArrayEquals(bytes, after.get(path), path));
        assertEquals(List.of(), dryRun(config).gate().changes());
    }

    @Test
    void dryRunListsEveryChangeAndWritesNothing() throws IOException {
        PlanContext context = dryRun(config);
        assertEquals(23, context.gate().changes().size(), String.join("\n", context.gate().changes()));
        assertTrue(context.gate().changes().contains("write /data/matrix/files/homeserver.yaml (991:991 0600)"));
        try (Stream<Path> walk = Files.list(root)) {
            assertEquals(0, walk.count());
        }
    }

    @Test
    void secretsAreGeneratedOnceAndNeverPrinted() throws IOException {
        List<String> printed = new ArrayList<>();
        PlanContext context = new PlanContext(config, host(), ChangeGate.applying(printed::add));
        Plans.files().run(context);
        // Every secret of the enabled components (TURN's only with it: TurnFilesTest).
        for (Secret secret : Components.secrets(config)) {
            String value = context.secrets().get(secret);
            assertTrue(value.matches("[A-Za-z0-9]{32}"), secret.fileName());
            printed.forEach(line -> assertFalse(line.contains(value), line));
            assertEquals(value, Files.readString(root.resolve("data/matrix/secrets/" + secret.fileName())));
        }
        String homeserver = Files.readString(root.resolve("data/matrix/files/homeserver.yaml"));
        assertTrue(homeserver.contains("password: \"" + context.secrets().get(Secret.POSTGRES_PASSWORD) + "\""));
        assertFalse(homeserver.contains("password: \"synapse\""), "the seed's password must be replaced");
        String compose = Files.readString(root.resolve("data/matrix/docker-compose.yml"));
        assertTrue(compose.contains("POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password"));
        assertFalse(compose.contains(context.secrets().get(Secret.POSTGRES_PASSWORD)), "no password in the compose file");

        PlanContext again = apply(config);
        for (Secret secret : Components.secrets(config)) {
            assertEquals(context.secrets().get(secret), again.secrets().get(secret), "reused: " + secret.fileName());
        }
    }

    @Test
    void signingKeyIsInSynapseFormatAndKept() throws IOException {
        apply(config);
        Path key = root.resolve("data/matrix/files/matrix.example.org.signing.key");
        String text = Files.readString(key);
        assertTrue(text.matches("ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]{43}\n"), text.replaceAll(" \\S+\n", " <seed>"));
        apply(config);
        assertEquals(text, Files.readString(key));
    }

    @Test
    void driftIsRepairedOneChangeAtATime() throws IOException {
        apply(config);
        Path compose = root.resolve("data/matrix/docker-compose.yml");
        host().setOwnerAndMode(Path.of("/data/matrix/docker-compose.yml"), Ownership.ROOT, 0666);
        Path homeserver = root.resolve("data/matrix/files/homeserver.yaml");
        Files.writeString(homeserver, "edited by hand\n", StandardCharsets.UTF_8);

        PlanContext repair = apply(config);
        assertEquals(List.of(
                "write /data/matrix/files/homeserver.yaml (991:991 0600)",
                "set /data/matrix/docker-compose.yml to root:root 0644 (was root:root 0666)"),
                repair.gate().changes());
        assertEquals(0644, host().stat(Path.of("/data/matrix/docker-compose.yml")).orElseThrow().mode());
        assertTrue(Files.readString(compose).contains("services:"));
    }

    @Test
    void serverNameCanNeverChangeOnAnExistingInstall() {
        apply(config);
        InstallConfig renamed = ConfigLoader.load(Optional.empty(),
                Map.of("domain", "matrix.example.org", "server_name", "example.org", "email", "admin@example.org"));
        ConfigException e = assertThrows(ConfigException.class, () -> apply(renamed));
        assertEquals("server_name: this host already serves 'matrix.example.org' and a Matrix server name can never"
                + " change (asked for 'example.org'); set server_name: matrix.example.org", e.getMessage());
    }

    @Test
    void serverNameGuardStillHoldsWhenHomeserverYamlIsGone() throws IOException {
        apply(config);
        Files.delete(root.resolve("data/matrix/files/homeserver.yaml"));
        InstallConfig renamed = ConfigLoader.load(Optional.empty(),
                Map.of("domain", "matrix.example.org", "server_name", "example.org", "email", "admin@example.org"));
        ConfigException e = assertThrows(ConfigException.class, () -> apply(renamed));
        assertEquals("server_name: this host already serves 'matrix.example.org' and a Matrix server name can never"
                + " change (asked for 'example.org'); set the server name whose host is matrix.example.org", e.getMessage());
    }

    @Test
    void aRenderRootCannotRunCommands() {
        assertThrows(HostException.class,
                () -> host().exec(new Command(List.of("true"), Optional.empty(), Map.of(),
                        java.time.Duration.ofSeconds(5))));
    }
}
