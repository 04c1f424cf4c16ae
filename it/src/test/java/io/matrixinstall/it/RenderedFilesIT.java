package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.tls.SelfSignedCertificate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file the agent renders is accepted by the real program that reads it: nginx, docker-compose,
 * Synapse (from PyPI, in the venv scripts/prepare-test-host.sh makes) and a JSON parser.
 */
class RenderedFilesIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final Path SYNAPSE_PYTHON = Path.of(System.getProperty("matrixinstall.synapse.python",
            "/opt/matrix-install-it/synapse-venv/bin/python"));

    @TempDir
    static Path tree;

    /** Rendered with `render --root DIR`: the seed's paths, under DIR. */
    static Path rooted;
    /** Rendered with every host path moved under a temp dir: absolute references resolve on this machine. */
    static Path moved;

    /** Every TLS mode that renders an nginx server block; each is rendered with and without host IPv6. */
    static final String[] PROXY_MODES = {"acme", "nginx-certbot", "files", "external", "external-remote", "self-signed"};

    @BeforeAll
    static void render() throws IOException {
        rooted = tree.resolve("rooted");
        Agent.bare("render", "--root", rooted.toString(), "--domain", DOMAIN, "--email", "admin@example.org").assertOk();
        moved = tree.resolve("moved");
        for (String mode : new String[] {"acme", "nginx-certbot"}) {
            Path base = moved.resolve(mode);
            Agent.bare("render", "--root", "/", "--domain", DOMAIN, "--email", "admin@example.org", "--tls", mode,
                    "--base-dir", base + "/data/matrix", "--set", "proxy_dir=" + base + "/root/nginx",
                    "--set", "proxy_data_dir=" + base + "/data/nginx").assertOk();
        }
        Path certificate = tree.resolve("operator.crt");
        Path key = tree.resolve("operator.key");
        Run.of(java.util.List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                "/CN=" + DOMAIN, "-addext", "subjectAltName=DNS:" + DOMAIN, "-keyout", key.toString(),
                "-out", certificate.toString())).assertOk();
        for (String mode : PROXY_MODES) {
            for (boolean ipv6 : new boolean[] {false, true}) {
                // The agent renders IPv6 listeners when the host's kernel lists ::1; under a render root
                // it reads the root's /proc/net/if_inet6, so this decides the variant.
                Path root = tree.resolve((ipv6 ? "mode6-" : "mode-") + mode);
                if (ipv6) {
                    Files.createDirectories(root.resolve("proc/net"));
                    Files.writeString(root.resolve("proc/net/if_inet6"),
                            "00000000000000000000000000000001 01 80 10 80       lo\n");
                }
                // "external-remote": the operator's proxy on another machine.
                Agent.bare("render", "--root", root.toString(), "--domain", DOMAIN, "--email", "admin@example.org",
                        "--tls", mode.replace("-remote", ""), "--set", "tls.files.certificate=" + certificate,
                        "--set", "tls.files.key=" + key, "--set", "tls.external.trusted_proxy="
                                + (mode.endsWith("-remote") ? "10.1.2.0/24" : "127.0.0.1")).assertOk();
            }
        }
        // The certificates every TLS server block names, at the seed's paths (mounted as /etc/letsencrypt).
        Path live = Files.createDirectories(tree.resolve("letsencrypt/live/" + DOMAIN));
        Files.copy(certificate, live.resolve("fullchain.pem"));
        Files.copy(certificate, live.resolve("chain.pem"));
        Files.copy(key, live.resolve("privkey.pem"));
    }

    /**
     * Runs the nginx image the product runs (nginx:stable-alpine; here the stand-in with Debian trixie's
     * nginx 1.26) with the rendered server block mounted as the product's compose file does: `nginx -t`, then nginx really starts (binding every
     * listener) and the kernel's listening TCP sockets are printed. {@code ipv6}: the container's network
     * namespace has IPv6 on loopback; without it, it has none at all (Docker's default), like a host
     * booted without IPv6.
     */
    static Run startNginx(Path confDir, boolean ipv6) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        if (ipv6) {
            argv.addAll(List.of("--sysctl", "net.ipv6.conf.all.disable_ipv6=0",
                    "--sysctl", "net.ipv6.conf.lo.disable_ipv6=0"));
        }
        argv.addAll(List.of("-v", confDir + ":/etc/nginx/conf.d:ro",
                "-v", tree.resolve("letsencrypt") + ":/etc/letsencrypt:ro", "nginx:stable-alpine", "sh", "-ec",
                "nginx -t; nginx; sleep 1; echo LISTEN; cat /proc/net/tcp /proc/net/tcp6; nginx -s quit"));
        return TestEngine.docker(argv.toArray(String[]::new));
    }

    /** "address:port" of every listening socket in /proc/net/tcp{,6} text (addresses in the kernel's hex). */
    static Set<String> listening(String procNetTcp) {
        Set<String> sockets = new TreeSet<>();
        for (String line : procNetTcp.lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length > 3 && columns[0].endsWith(":") && columns[3].equals("0A")) {
                String[] local = columns[1].split(":");
                sockets.add(local[0] + ":" + Integer.parseInt(local[1], 16));
            }
        }
        return sockets;
    }

    static final String ANY4 = "00000000";
    static final String LOOPBACK4 = "0100007F";
    static final String ANY6 = "00000000000000000000000000000000";
    static final String LOOPBACK6 = "00000000000000000000000001000000";

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "acme, false", "acme, true", "nginx-certbot, false", "nginx-certbot, true", "files, false", "files, true",
        "external, false", "external, true", "external-remote, false", "external-remote, true",
        "self-signed, false", "self-signed, true"})
    void nginxAcceptsAndStartsTheServerBlockOfEveryTlsModeWithAndWithoutIpv6(String mode, boolean ipv6) {
        Run run = startNginx(tree.resolve((ipv6 ? "mode6-" : "mode-") + mode + "/data/nginx/user_conf.d"), ipv6);
        run.assertOk();
        assertTrue(run.stderr().contains("test is successful"), run.toString());
        assertFalse(run.stderr().contains("[warn]"), "no deprecated directive: " + run.stderr());
        Set<String> sockets = listening(run.stdout().substring(run.stdout().indexOf("LISTEN")));
        Set<String> expected = new TreeSet<>();
        boolean external = mode.equals("external");
        // external: the default trusted proxy is on loopback, so nginx listens on loopback only; a remote
        // proxy needs every address (nginx then admits only that proxy).
        List<Integer> ports = mode.startsWith("external") ? List.of(80) : List.of(80, 443, 8448);
        for (int port : ports) {
            expected.add((external ? LOOPBACK4 : ANY4) + ":" + port);
            if (ipv6) {
                expected.add((external ? LOOPBACK6 : ANY6) + ":" + port);
            }
        }
        assertEquals(expected, sockets, run.toString());
    }

    @Test
    void dockerComposeAcceptsEveryComposeFile() {
        for (Path file : new Path[] {moved.resolve("acme/data/matrix/docker-compose.yml"),
                moved.resolve("acme/root/nginx/compose.yml"), moved.resolve("nginx-certbot/root/nginx/compose.yml")}) {
            Run run = Run.of(java.util.List.of("docker-compose", "-f", file.toString(), "config")).assertOk();
            assertTrue(run.stdout().contains("services:"), run.toString());
        }
        Run matrix = Run.of(java.util.List.of("docker-compose", "-f", moved.resolve("acme/data/matrix/docker-compose.yml").toString(),
                "config", "--services")).assertOk();
        assertEquals("db\nsynapse\nelement", matrix.stdout().strip());
    }

    @Test
    void synapseAcceptsHomeserverYamlAndLoadsTheSigningKey() throws IOException {
        // The config names container paths (/data/...): a copy of the files directory with those paths pointing
        // at the copy is what Synapse checks here, so nothing is written outside the test's own directory.
        Path files = hostCopy("accepted");
        Run run = Run.sh("""
                "$2" -m synapse.config -c "$1/homeserver.yaml"
                "$2" -c "
                import signedjson.key, sys
                keys = signedjson.key.read_signing_keys(open(sys.argv[1]))
                print(\\"loaded\\", keys[0].alg, keys[0].version, signedjson.key.encode_verify_key_base64(keys[0].verify_key))
                " "$1/$3.signing.key"
                """, files.toString(), SYNAPSE_PYTHON.toString(), DOMAIN);
        run.assertOk();
        assertTrue(run.stdout().contains("Config parses OK!"), run.toString());
        assertTrue(run.stdout().matches("(?s).*loaded ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]{43}\\s*"), run.toString());
    }

    /** The rendered files directory copied into the test's tree, its container paths (/data/...) pointing at the copy. */
    static Path hostCopy(String name) throws IOException {
        Path copy = tree.resolve(name);
        Path files = rooted.resolve("data/matrix/files");
        Files.createDirectories(copy.resolve("media_store"));
        try (java.util.stream.Stream<Path> entries = Files.list(files)) {
            for (Path file : entries.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                Files.writeString(copy.resolve(file.getFileName()), text.replace("/data/", copy + "/"));
            }
        }
        return copy;
    }

    @Test
    void synapseRejectsABrokenHomeserverYaml() throws IOException {
        Path broken = hostCopy("broken");
        // Synapse validates booleans: this one it refuses (and only this: every path in the copy exists).
        Files.writeString(broken.resolve("homeserver.yaml"), Files.readString(broken.resolve("homeserver.yaml"))
                .replace("enable_registration: false", "enable_registration: perhaps"));
        Run run = Run.of(java.util.List.of(SYNAPSE_PYTHON.toString(), "-m", "synapse.config", "-c",
                broken.resolve("homeserver.yaml").toString()));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue((run.stdout() + run.stderr()).contains("perhaps"), "Synapse names the value: " + run);
    }

    @Test
    void elementConfigIsValidJsonWithTheHomeserver() throws IOException {
        JsonNode json = new ObjectMapper().readTree(rooted.resolve("data/matrix/element-config.json").toFile());
        JsonNode homeserver = json.path("default_server_config").path("m.homeserver");
        assertEquals("https://" + DOMAIN, homeserver.path("base_url").asText());
        assertEquals(DOMAIN, homeserver.path("server_name").asText());
        assertEquals("Element", json.path("brand").asText());
    }

    @Test
    void aConvergedRenderRootHasNoChangesUnderDryRun() {
        Run run = Agent.bare("up", "--dry-run", "--root", rooted.toString(), "--domain", DOMAIN, "--email", "admin@example.org")
                .assertOk();
        assertEquals("no changes", run.stdout().strip());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "matrix.example.org|-1|tls.files.certificate: certificate expired on ",
        "other.example.org|30|tls.files.certificate: certificate is for other.example.org, not matrix.example.org"})
    void filesModeRefusesAnExpiredOrMismatchedCertificateBeforeAnyChange(String name, int days, String message)
            throws IOException {
        SelfSignedCertificate operator = SelfSignedCertificate.create(
                java.util.List.of(name), java.time.Duration.ofDays(days));
        Path dir = Files.createDirectories(tree.resolve("operator-" + name + days));
        Path certificate = Files.writeString(dir.resolve("cert.pem"), operator.certificatePem());
        Path key = Files.writeString(dir.resolve("key.pem"), operator.privateKeyPem());
        Path untouched = dir.resolve("root");
        Run run = Agent.bare("render", "--root", untouched.toString(), "--domain", DOMAIN, "--email", "admin@example.org",
                "--tls", "files", "--set", "tls.files.certificate=" + certificate, "--set", "tls.files.key=" + key);
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.stderr().startsWith("matrix-install: " + message), run.toString());
        assertTrue(Files.notExists(untouched), "nothing may be written");
    }

    @Test
    void badInputExitsTwoWithOneLineAndWritesNothing() {
        Path untouched = tree.resolve("untouched");
        Run run = Agent.bare("render", "--root", untouched.toString(), "--domain", DOMAIN, "--email", "admin");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("matrix-install: email: not an e-mail address (got 'admin')", run.stderr().strip());
        assertTrue(Files.notExists(untouched), "nothing may be written on bad input");
    }
}
