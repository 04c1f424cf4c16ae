package io.matrixinstall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * E-mail (mail.*) and directory sign-in (ldap.*) on a real install, against real peers the test starts through
 * Testcontainers on the harness engine: an SMTP server (Debian's python3-aiosmtpd, login required) and Debian's
 * slapd with a small directory. Both run on the host network on ports of this class's range, so Synapse reaches
 * them at the Docker bridge's address, as it would reach a server of the operator's network.
 * A client of the test, through the public TLS proxy: verifies an e-mail address and resets a password by the
 * links the mails carry; a directory user signs in, a wrong password is refused, a local user still signs in; the
 * bind password is in its own file only; with registration.mode open, a sign-up needs no token but a verified
 * address, and back in token and closed mode the same sign-up creates nothing. Last, both are switched off: the dry
 * run lists what goes, the next `up` removes it and the one after changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailLdapIT {
    static final String DOMAIN = Agent.DOMAIN;
    static final String PROJECT = "mi-mail-1";
    static final int SYNAPSE = 29008;
    static final int HTTPS = 29043;
    static final int SMTP_PORT = 29025;
    static final int LDAP_PORT = 29089;
    /** The host as containers on the engine's networks reach it. */
    static final String BRIDGE = "172.17.0.1";
    static final String SMTP_PASSWORD = "smtp-" + UUID.randomUUID();
    static final String BIND_PASSWORD = "bind-" + UUID.randomUUID();
    static final Pattern LINK = Pattern.compile("https://\\S+submit_token\\?[^\\s\"<>]+");

    static Agent agent;
    static Path tree;
    static Path operator; // the admin's own files, outside every directory the agent manages
    static HttpClient client;
    static MatrixClient matrix;
    static GenericContainer<?> smtp;
    static GenericContainer<?> slapd;

    /** E-mail through the test's SMTP server and sign-in against its directory; without them the install has neither. */
    static String[] mailAndLdap(String... more) {
        List<String> flags = new ArrayList<>(List.of("--set", "mail.smtp_host=" + BRIDGE,
                "--set", "mail.smtp_port=" + SMTP_PORT, "--set", "mail.tls=none", "--set", "mail.smtp_user=matrix",
                "--set", "mail.smtp_password_file=" + operator.resolve("smtp-password"),
                "--set", "mail.from=Club Chat <chat@example.org>",
                "--set", "ldap.uri=ldap://" + BRIDGE + ":" + LDAP_PORT, "--set", "ldap.base=ou=people,dc=example,dc=org",
                "--set", "ldap.bind_dn=cn=matrix,ou=services,dc=example,dc=org",
                "--set", "ldap.bind_password_file=" + operator.resolve("bind-password"),
                "--set", "ldap.filter=(objectClass=inetOrgPerson)"));
        flags.addAll(List.of(more));
        return flags.toArray(String[]::new);
    }

    static void secretFile(Path file, String content) throws Exception {
        Files.writeString(file, content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @BeforeAll
    static void install() throws Exception {
        operator = Files.createTempDirectory("matrix-install-mail-it-operator");
        agent = Agent.install(PROJECT, "matrix-install-mail-it").ports(SYNAPSE, 29009, 29080, HTTPS, 29048)
                .settings("--tls", "self-signed", "--pull", "never", "--set", "refresh.schedule=off", "--timeout", "240",
                        "--set", "synapse.extra_config=" + operator.resolve("extra.yaml"));
        tree = agent.tree();
        secretFile(operator.resolve("smtp-password"), SMTP_PASSWORD);
        secretFile(operator.resolve("bind-password"), BIND_PASSWORD);
        secretFile(operator.resolve("founder-password"), "founder's pass phrase");
        secretFile(operator.resolve("alice-password"), "alice's first pass phrase");
        // Enough logins and validation mails for one test run from one address.
        Files.writeString(operator.resolve("extra.yaml"), "rc_login:\n  address: {per_second: 100, burst_count: 100}\n"
                + "  account: {per_second: 100, burst_count: 100}\n  failed_attempts: {per_second: 100, burst_count: 100}\n"
                + "rc_3pid_validation: {per_second: 100, burst_count: 100}\n");
        Files.writeString(operator.resolve("users.ldif"), String.join("\n",
                "dn: ou=people,dc=example,dc=org", "objectClass: organizationalUnit", "ou: people", "",
                "dn: ou=services,dc=example,dc=org", "objectClass: organizationalUnit", "ou: services", "",
                "dn: cn=matrix,ou=services,dc=example,dc=org", "objectClass: organizationalRole",
                "objectClass: simpleSecurityObject", "cn: matrix", "userPassword: " + BIND_PASSWORD, "",
                "dn: uid=ada,ou=people,dc=example,dc=org", "objectClass: inetOrgPerson", "uid: ada", "cn: Ada Lovelace",
                "sn: Lovelace", "mail: ada@example.org", "userPassword: ada's directory password", ""));

        // Testcontainers talks to the harness engine, as the agent does.
        System.setProperty("DOCKER_HOST", TestEngine.environment().get("DOCKER_HOST"));
        smtp = new GenericContainer<>(DockerImageName.parse("matrix-install-it/smtp:test"))
                .withNetworkMode("host").withEnv(Map.of("SMTP_PORT", String.valueOf(SMTP_PORT), "SMTP_USER", "matrix",
                        "SMTP_PASSWORD", SMTP_PASSWORD))
                .waitingFor(Wait.forLogMessage(".*smtp: listening.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        slapd = new GenericContainer<>(DockerImageName.parse("matrix-install-it/slapd:test"))
                .withNetworkMode("host").withEnv("LDAP_PORT", String.valueOf(LDAP_PORT))
                .withCopyFileToContainer(MountableFile.forHostPath(operator.resolve("users.ldif")), "/ldif/users.ldif")
                .waitingFor(Wait.forLogMessage(".*slapd starting.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        smtp.start();
        slapd.start();

        agent.runWithFlags("up", mailAndLdap("--admin", "founder",
                "--admin-password-file", operator.resolve("founder-password").toString())).assertOk();
        client = HttpClient.newBuilder().sslContext(TrustOnly.pem(Files.readString(
                tree.resolve("data/nginx/letsencrypt/live/" + DOMAIN + "/fullchain.pem")))).build();
        matrix = new MatrixClient(client, "https://" + DOMAIN + ":" + HTTPS);
    }

    @AfterAll
    static void tearDown() {
        if (agent != null) {
            agent.tearDown();
        }
        for (GenericContainer<?> peer : new GenericContainer<?>[] {smtp, slapd}) {
            if (peer != null) {
                peer.stop(); // removes it: Ryuk is off
            }
        }
        if (operator != null) {
            Run.of(List.of("rm", "-rf", operator.toString()));
        }
    }

    /** The text parts of the mails the SMTP server received for {@code to}, oldest first. */
    static List<String> mailsTo(String to) throws Exception {
        var listing = smtp.execInContainer("python3", "-c", String.join("\n",
                "import email, glob, sys",
                "for f in sorted(glob.glob('/mail/*.eml'), key=lambda p: int(p[6:-4])):",
                "    m = email.message_from_binary_file(open(f, 'rb'))",
                "    if sys.argv[1] not in m['To']: continue",
                "    for part in m.walk():",
                "        if part.get_content_type() == 'text/plain':",
                "            print(part.get_payload(decode=True).decode()); print('\\f')"), to);
        assertEquals(0, listing.getExitCode(), listing.getStderr());
        return Stream.of(listing.getStdout().split("\f")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The validation link of the newest mail to {@code to}, waiting for it to arrive. */
    static String newestLink(String to, int mailsBefore) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> mails = mailsTo(to);
        while (mails.size() <= mailsBefore && System.nanoTime() < deadline) {
            Thread.sleep(500);
            mails = mailsTo(to);
        }
        assertTrue(mails.size() > mailsBefore, "no new mail to " + to + "; SMTP server log:\n" + smtp.getLogs());
        Matcher link = LINK.matcher(mails.get(mails.size() - 1));
        assertTrue(link.find(), mails.get(mails.size() - 1));
        assertTrue(link.group().startsWith("https://" + DOMAIN + ":" + HTTPS + "/"), link.group());
        return link.group();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode requestToken(String path, String secret, String address) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(MatrixClient.JSON
                        .writeValueAsString(Map.of("client_secret", secret, "email", address, "send_attempt", 1)))));
        assertEquals(200, response.statusCode(), response.body());
        return MatrixClient.JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void doctorChecksTheSmtpLoginWithoutSendingAndAPasswordResetMailCompletesTheReset() throws Exception {
        Run doctor = agent.run("doctor");
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("ok\\s+smtp\\s.*accepts the login of matrix.*")),
                doctor.toString());
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("ok\\s+ldap\\s.*accepts the bind of cn=matrix,.*")),
                doctor.toString());
        assertEquals(List.of(), mailsTo("@"), "doctor sent nothing");
        // Wrong passwords in the admin's files: both checks fail, naming what was refused.
        secretFile(operator.resolve("smtp-password"), "not the SMTP password");
        secretFile(operator.resolve("bind-password"), "not the bind password");
        Run refused = agent.run("doctor");
        secretFile(operator.resolve("smtp-password"), SMTP_PASSWORD);
        secretFile(operator.resolve("bind-password"), BIND_PASSWORD);
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.stdout().lines().anyMatch(l -> l.matches("fail\\s+smtp\\s.*refuses the login of matrix.*")),
                refused.toString());
        assertTrue(refused.stdout().lines().anyMatch(l -> l.matches("fail\\s+ldap\\s.*refuses the bind of .*invalid credentials")),
                refused.toString());
        Run status = agent.run("status");
        assertTrue(status.stdout().contains("e-mail: through " + BRIDGE + ":" + SMTP_PORT + " (none, login matrix)"),
                status.toString());
        assertTrue(status.stdout().contains("ldap: sign-in against ldap://" + BRIDGE + ":" + LDAP_PORT), status.toString());

        agent.run("user", "add", "alice", "--password-file", operator.resolve("alice-password").toString()).assertOk();
        String alice = matrix.token("alice", "alice's first pass phrase");

        // Sign-up style verification: the address is bound only after the link in the mail is opened.
        String addSecret = "add" + UUID.randomUUID().toString().replace("-", "");
        String addSid = requestToken("/_matrix/client/v3/account/3pid/email/requestToken", addSecret, "alice@example.org")
                .path("sid").asText();
        String verify = newestLink("alice@example.org", 0);
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(verify))).statusCode());
        matrix.post(alice, "/_matrix/client/v3/account/3pid/add", MatrixClient.JSON.writeValueAsString(Map.of(
                "client_secret", addSecret, "sid", addSid, "auth", Map.of("type", "m.login.password",
                        "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "alice's first pass phrase"))));

        // Password reset: the mail's link confirms, then the new password is set with the validated session.
        String resetSecret = "reset" + UUID.randomUUID().toString().replace("-", "");
        String resetSid = requestToken("/_matrix/client/v3/account/password/email/requestToken", resetSecret,
                "alice@example.org").path("sid").asText();
        String reset = newestLink("alice@example.org", 1);
        assertTrue(reset.contains("/_synapse/client/password_reset/email/submit_token"), reset);
        HttpResponse<String> confirmed = send(HttpRequest.newBuilder(URI.create(reset))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        HttpResponse<String> changed = send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS
                + "/_matrix/client/v3/account/password")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MatrixClient.JSON.writeValueAsString(Map.of(
                        "new_password", "alice's new pass phrase", "logout_devices", true,
                        "auth", Map.of("type", "m.login.email.identity",
                                "threepid_creds", Map.of("sid", resetSid, "client_secret", resetSecret)))))));
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(403, matrix.login("alice", "alice's first pass phrase").statusCode());
        matrix.token("alice", "alice's new pass phrase");
    }

    @Test
    @Order(2)
    void directoryUsersSignInLocalUsersStillDoAndTheBindPasswordIsInItsOwnFileOnly() throws Exception {
        HttpResponse<String> ada = matrix.login("ada", "ada's directory password");
        assertEquals(200, ada.statusCode(), ada.body());
        assertEquals("@ada:" + DOMAIN, MatrixClient.JSON.readTree(ada.body()).path("user_id").asText());
        assertEquals(403, matrix.login("ada", "not ada's password").statusCode());
        matrix.token("founder", "founder's pass phrase");

        Path secret = tree.resolve("data/matrix/files/ldap_bind_password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals(991, Files.getAttribute(secret, "unix:uid"));
        List<Path> holders = new ArrayList<>();
        for (Path root : List.of(tree, TestEngine.STATE_DIR)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(BIND_PASSWORD)) {
                        holders.add(file);
                    }
                }
            }
        }
        assertEquals(List.of(secret), holders);
        for (String project : List.of(PROJECT, PROJECT + "-proxy")) {
            String ids = TestEngine.docker("ps", "-a", "-q", "--filter", "label=com.docker.compose.project=" + project)
                    .assertOk().stdout().strip();
            for (String id : ids.split("\\s+")) {
                String inspect = TestEngine.docker("inspect", id).assertOk().stdout();
                assertFalse(inspect.contains(BIND_PASSWORD), "docker inspect " + id);
                assertFalse(inspect.contains(SMTP_PASSWORD), "docker inspect " + id);
            }
        }
    }

    /**
     * Sign-up as Element does it on a server that asks for an e-mail address: the session, the validation mail to
     * {@code address}, its link opened, then the e-mail stage. The last answer (the refused mail request, if it was).
     */
    static HttpResponse<String> signUpByMail(String user, String password, String address) throws Exception {
        HttpResponse<String> first = matrix.register(Map.of("username", user, "password", password));
        if (first.statusCode() != 401) {
            return first;
        }
        String session = MatrixClient.JSON.readTree(first.body()).path("session").asText();
        String secret = "reg" + UUID.randomUUID().toString().replace("-", "");
        int before = mailsTo(address).size();
        HttpResponse<String> request = send(HttpRequest.newBuilder(URI.create("https://" + DOMAIN + ":" + HTTPS
                + "/_matrix/client/v3/register/email/requestToken")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MatrixClient.JSON.writeValueAsString(Map.of(
                        "client_secret", secret, "email", address, "send_attempt", 1)))));
        if (request.statusCode() != 200) {
            return request;
        }
        String sid = MatrixClient.JSON.readTree(request.body()).path("sid").asText();
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(newestLink(address, before)))).statusCode());
        return matrix.register(Map.of("username", user, "password", password, "auth", Map.of(
                "type", "m.login.email.identity", "session", session,
                "threepid_creds", Map.of("sid", sid, "client_secret", secret))));
    }

    @Test
    @Order(3)
    void openRegistrationTakesAVerifiedAddressAndNoTokenAndEndsWithTheMode() throws Exception {
        Path homeserver = tree.resolve("data/matrix/files/homeserver.yaml");
        agent.runWithFlags("up", mailAndLdap("--set", "registration.mode=open")).assertOk();
        String config = Files.readString(homeserver);
        assertTrue(config.contains("enable_registration: true\nregistrations_require_3pid:\n  - email\n"), config);
        assertFalse(config.contains("enable_registration_without_verification"), config);
        // No address, no account: the dummy stage alone is refused (Synapse's own rule once an e-mail is required).
        HttpResponse<String> unverified = matrix.signUp("mallory", "mallory's pass phrase", null);
        assertEquals(401, unverified.statusCode(), unverified.body());
        assertTrue(unverified.body().contains("m.login.email.identity"), unverified.body());
        assertFalse(unverified.body().contains("access_token"), unverified.body());
        // With the address verified by the mail's link, and no token, the account is created and logs in.
        HttpResponse<String> bob = signUpByMail("bob", "bob's pass phrase", "bob@example.org");
        assertEquals(200, bob.statusCode(), bob.body());
        assertEquals("@bob:" + DOMAIN, MatrixClient.JSON.readTree(bob.body()).path("user_id").asText());
        matrix.token("bob", "bob's pass phrase");

        // Back to token: the same verified sign-up creates nothing without a token.
        agent.runWithFlags("up", mailAndLdap("--set", "registration.mode=token")).assertOk();
        HttpResponse<String> carol = signUpByMail("carol", "carol's pass phrase", "carol@example.org");
        assertTrue(carol.statusCode() == 401 || carol.statusCode() == 403, carol.body());
        assertFalse(carol.body().contains("access_token"), carol.body());
        assertTrue(matrix.signUp("carol", "carol's pass phrase", null).body().contains("m.login.registration_token"));
        // And closed (the default): refused outright.
        agent.runWithFlags("up", mailAndLdap()).assertOk();
        assertEquals(403, matrix.signUp("dave", "dave's pass phrase", null).statusCode());
        assertEquals(403, matrix.login("carol", "carol's pass phrase").statusCode());
        matrix.token("bob", "bob's pass phrase");
    }

    @Test
    @Order(4)
    void switchedOffTheDryRunListsWhatGoesAndNothingIsLeft() throws Exception {
        Path secret = tree.resolve("data/matrix/files/ldap_bind_password");
        Path homeserver = tree.resolve("data/matrix/files/homeserver.yaml");
        Run dry = agent.runWithFlags("up", "--dry-run").assertOk();
        assertTrue(dry.stdout().contains("remove " + secret + " (ldap.uri is not set)"), dry.toString());
        assertTrue(dry.stdout().contains(homeserver.toString()), dry.toString());
        assertTrue(Files.exists(secret), "a dry run changes nothing");

        agent.runWithFlags("up").assertOk();
        Run again = agent.runWithFlags("up").assertOk();
        assertEquals("no changes", again.stdout().lines().findFirst().orElse(""), again.toString());
        assertFalse(Files.exists(secret));
        String config = Files.readString(homeserver);
        assertFalse(config.contains("email:") || config.contains("smtp") || config.contains("ldap"), config);
        assertEquals(403, matrix.login("ada", "ada's directory password").statusCode());
        matrix.token("founder", "founder's pass phrase");
        Run doctor = agent.run("doctor");
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("skip\\s+smtp\\s.*e-mail is off.*")), doctor.toString());
        assertTrue(doctor.stdout().lines().anyMatch(l -> l.matches("skip\\s+ldap\\s.*sign-in is off.*")), doctor.toString());
    }
}
