package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent killed (SIGKILL) at step boundaries of `up`, then run again: the host always ends with every
 * container running exactly the configuration on disk — Element serves the brand in its file, Synapse runs
 * the homeserver.yaml on disk (its login flows and its inputs label say so), nginx serves the certificate on
 * disk — no secret ever changes, and nothing temporary is left. Kill points are the change lines the agent
 * prints just before it applies each change, so the kill lands while that change is being made or right after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-crash";
    static final int SYNAPSE = 18600;
    static final int ELEMENT = 18601;
    static final int HTTPS = 18643;
    static Agent agent;
    static Path tree;
    static Path noPasswords;
    static final Map<String, String> secretsSeen = new LinkedHashMap<>();

    /** `up` with the test's settings, then {@code extra}. */
    static List<String> args(String... extra) {
        List<String> args = agent.withFlags("up", "--tls", "self-signed", "--pull", "never", "--set", "refresh.schedule=off",
                "--set", "renewal.schedule=none", "--timeout", "240");
        args.addAll(List.of(extra));
        return args;
    }

    /** A fresh install tree of its own. */
    static void newTree() {
        agent = Agent.install(PROJECT, "matrix-install-crash-it").ports(SYNAPSE, ELEMENT, 18680, HTTPS, 18648);
        tree = agent.tree();
    }

    /** The settings of the two states the changed-setting scenario moves between. */
    static String[] state(boolean b) {
        return b ? new String[] {"--element-brand", "Crash B", "--set", "synapse.extra_config=" + noPasswords}
                : new String[] {"--element-brand", "Crash A"};
    }

    @BeforeAll
    static void tree() throws IOException {
        newTree();
        noPasswords = Files.createTempFile("matrix-install-crash-it", ".yaml");
        Files.writeString(noPasswords, "password_config:\n  enabled: false\n");
    }

    @AfterAll
    static void tearDown() {
        agent.tearDown();
    }

    @Test
    @Order(1)
    void aFreshInstallKilledAtEachStageConverges() throws Exception {
        // Each kill point on a fresh host of its own; paths are relative to the install tree.
        for (String point : List.of("write TREE/data/matrix/secrets/macaroon_secret_key",
                "write TREE/data/matrix/docker-compose.yml", "start matrix stack",
                "write TREE/data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem", "start nginx stack")) {
            agent.tearDown();
            newTree();
            secretsSeen.clear();
            String line = point.replace("TREE", tree.toString());
            assertTrue(runKilledAt(line, state(false)), "a fresh up reaches " + line);
            rememberSecrets();
            agent.run(args(state(false))).assertOk();
            assertConverged("Crash A", true);
        }
    }

    @Test
    @Order(2)
    void aChangedSettingKilledAtEveryStageConverges() throws Exception {
        agent.run(args(state(false))).assertOk();
        boolean target = true;
        for (String point : List.of("write " + tree + "/data/matrix/files/homeserver.yaml",
                "write " + tree + "/data/matrix/element-config.json", "write " + tree + "/data/matrix/docker-compose.yml",
                "start matrix stack")) {
            assertTrue(runKilledAt(point, state(target)), "the run reaches " + point);
            agent.run(args(state(target))).assertOk();
            assertConverged(target ? "Crash B" : "Crash A", !target);
            rememberSecrets();
            target = !target;
        }
    }

    @Test
    @Order(3)
    void aCertificateReplacementKilledBeforeTheReloadIsServedAfterTheReRun() throws Exception {
        Path live = tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN);
        for (String point : List.of("write " + live + "/fullchain.pem", "reload nginx")) {
            for (String file : List.of("fullchain.pem", "privkey.pem", "chain.pem")) {
                Files.delete(live.resolve(file));
            }
            assertTrue(runKilledAt(point, state(false)), "the run reaches " + point);
            agent.run(args(state(false))).assertOk();
            assertEquals(leaf(Files.readString(live.resolve("fullchain.pem"))), servedSoon(live), "killed at '" + point + "'");
        }
        assertConverged("Crash A", true);
    }

    @Test
    @Order(4)
    void anEmptiedSecretWithAnInitialisedDatabaseStopsBeforeAnyChange() throws IOException {
        Path secret = tree.resolve("data/matrix/secrets/postgres_password");
        String value = Files.readString(secret);
        Files.writeString(secret, "");
        Map<String, String> before = identities();
        Run run = agent.run(args(state(true)));
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("matrix-install: " + secret + " is missing or empty, but the database volume " + PROJECT
                + "_postgres-data is initialised; a new value would not match the one in use. Restore the file from a"
                + " backup (homeserver.yaml also holds the value, as database.args.password) and run up again; nothing"
                + " was changed", run.stderr().strip());
        assertEquals("", Files.readString(secret), "not regenerated");
        assertEquals(before, identities());
        assertTrue(Files.readString(tree.resolve("data/matrix/element-config.json")).contains("Crash A"), "nothing applied");
        Files.writeString(secret, value);
        // The password reaches PostgreSQL as a file: no container environment holds it.
        String env = TestEngine.docker("inspect", "--format", "{{json .Config.Env}}", TestEngine.container(PROJECT, "db"))
                .assertOk().stdout();
        assertFalse(env.contains(value), env);
        assertTrue(env.contains("POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password"), env);
    }

    @Test
    @Order(5)
    void switchingToNoProxyRemovesTheProxyAndItsServerBlockButKeepsCertificates() throws IOException {
        Path block = tree.resolve("data/nginx/user_conf.d/" + DOMAIN + ".conf");
        Path fullchain = tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem");
        assertTrue(Files.exists(block));
        List<String> none = new ArrayList<>(args(state(false)));
        none.set(none.indexOf("self-signed"), "none");
        String planned = agent.run(plus(none, "--dry-run")).assertOk().stdout();
        assertTrue(planned.contains("stop and remove the nginx stack (tls.mode is none; its volumes stay)"), planned);
        assertTrue(planned.contains("remove " + block + " (tls.mode is none)"), planned);
        assertTrue(Files.exists(block), "a dry run removes nothing");
        agent.run(none).assertOk();
        assertEquals("", TestEngine.container(PROJECT + "-proxy", "nginx"), "the nginx container is gone");
        assertFalse(Files.exists(block));
        assertFalse(Files.exists(tree.resolve("root/nginx/compose.yml")));
        assertTrue(Files.exists(fullchain), "certificates are data: they stay");
        assertEquals(200, status("http://127.0.0.1:" + SYNAPSE + "/health"));
        assertEquals("no changes", agent.run(none).assertOk().stdout().lines().findFirst()
                .orElse(""));
    }

    static List<String> plus(List<String> argv, String... more) {
        List<String> all = new ArrayList<>(argv);
        all.addAll(List.of(more));
        return all;
    }

    /** Starts `up`, and SIGKILLs it as soon as it prints a line starting with {@code point}. False when it never did. */
    static boolean runKilledAt(String point, String... settings) throws Exception {
        return agent.killedAt(point, args(settings));
    }

    /** Every container runs what the files on disk say, and nothing temporary is left. */
    static void assertConverged(String brand, boolean passwordLogin) throws Exception {
        assertEquals(200, status("http://127.0.0.1:" + SYNAPSE + "/health"));
        assertTrue(get("http://127.0.0.1:" + ELEMENT + "/config.json").contains("\"brand\": \"" + brand + "\""), brand);
        assertTrue(Files.readString(tree.resolve("data/matrix/element-config.json")).contains("\"brand\": \"" + brand + "\""));
        assertEquals(passwordLogin, get("http://127.0.0.1:" + SYNAPSE + "/_matrix/client/v3/login").contains("m.login.password"),
                "Synapse runs the homeserver.yaml on disk");
        String compose = Files.readString(tree.resolve("data/matrix/docker-compose.yml"));
        for (String service : List.of("db", "synapse", "element")) {
            String label = TestEngine.docker("inspect", "--format", "{{index .Config.Labels \"org.matrix-install.inputs\"}}",
                    TestEngine.container(PROJECT, service)).assertOk().stdout().strip();
            assertTrue(label.startsWith("sha256:") && compose.contains("\"" + label + "\""), service + " runs " + label);
        }
        Path live = tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN);
        assertEquals(leaf(Files.readString(live.resolve("fullchain.pem"))), servedSoon(live), "nginx serves the certificate on disk");
        for (Map.Entry<String, String> secret : secretsSeen.entrySet()) {
            assertEquals(secret.getValue(), Files.readString(Path.of(secret.getKey())), "a secret changed: " + secret.getKey());
        }
        try (Stream<Path> files = Files.walk(tree)) {
            List<Path> leftovers = files.filter(p -> p.getFileName().toString().contains(".matrix-install.tmp")
                    || p.getFileName().toString().equals(".config-check")).toList();
            assertEquals(List.of(), leftovers);
        }
        assertNoOneOffLeft();
    }

    /**
     * Containers of the Synapse image that carry the agent's one-off label and that no compose project owns are
     * one-offs (the config check; the label keeps other tests' own Synapse containers on the shared engine out). One
     * that still exists half a minute later was left behind; one that goes away was another run's, still working.
     */
    static void assertNoOneOffLeft() throws InterruptedException {
        String synapseImage = TestEngine.docker("image", "inspect", "--format", "{{.Id}}", "matrixdotorg/synapse:latest")
                .assertOk().stdout().strip();
        List<String> oneOffs = oneOffs(synapseImage);
        for (int i = 0; i < 30 && !oneOffs.isEmpty(); i++) {
            Thread.sleep(1000);
            List<String> now = oneOffs(synapseImage);
            oneOffs = oneOffs.stream().filter(now::contains).toList();
        }
        assertEquals(List.of(), oneOffs, "no one-off container is left");
    }

    static List<String> oneOffs(String image) {
        return TestEngine.docker("ps", "-a", "--filter", "ancestor=" + image, "--filter", "label=io.matrixinstall.one-off", "--format",
                "{{.ID}} {{.Label \"com.docker.compose.project\"}}").assertOk().stdout().lines().map(String::strip)
                .filter(line -> line.matches("[0-9a-f]+")).toList();
    }

    /** Records each secret the first time it is seen non-empty; later it must never differ. */
    static void rememberSecrets() throws IOException {
        Path dir = tree.resolve("data/matrix/secrets");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                String value = Files.readString(file);
                if (!value.isBlank()) {
                    secretsSeen.putIfAbsent(file.toString(), value);
                }
            }
        }
    }

    static Map<String, String> identities() {
        return Map.of("db", TestEngine.identity(PROJECT, "db"), "synapse", TestEngine.identity(PROJECT, "synapse"),
                "element", TestEngine.identity(PROJECT, "element"));
    }

    static X509Certificate leaf(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * nginx applies a reload asynchronously: its master re-reads the files a few milliseconds after the signal
     * that `up` sent last. Allow it two seconds to serve what is on disk.
     */
    static X509Certificate servedSoon(Path live) throws Exception {
        X509Certificate onDisk = leaf(Files.readString(live.resolve("fullchain.pem")));
        X509Certificate served = served();
        for (int i = 0; i < 20 && !served.equals(onDisk); i++) {
            Thread.sleep(100);
            served = served();
        }
        return served;
    }

    /** The certificate nginx presents now. Trust is not the question here, identity is: accept any, compare. */
    static X509Certificate served() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {}
            public void checkServerTrusted(X509Certificate[] chain, String type) {}
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return TrustOnly.served(context, HTTPS, DOMAIN);
    }

    static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static int status(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
