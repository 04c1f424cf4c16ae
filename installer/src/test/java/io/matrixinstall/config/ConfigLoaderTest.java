package io.matrixinstall.config;

import io.matrixinstall.component.tls.TlsModes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static Map<String, String> minimal() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("domain", "matrix.example.org");
        flags.put("email", "admin@example.org");
        return flags;
    }

    private static String error(Map<String, String> flags) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), flags)).getMessage();
    }

    private String fileError(String yaml) throws IOException {
        Path file = dir.resolve("matrix-install.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of())).getMessage();
    }

    @Test
    void defaultsComeFromTheSeed() {
        InstallConfig config = ConfigLoader.load(Optional.empty(), minimal());
        assertEquals("matrix.example.org", config.serverName());
        assertEquals(Path.of("/data/matrix"), config.baseDir());
        assertEquals(Path.of("/root/nginx"), config.proxyDir());
        assertEquals(Path.of("/data/nginx"), config.proxyDataDir());
        assertEquals("postgres:15-alpine", config.images().postgres());
        assertEquals("matrixdotorg/synapse:latest", config.images().synapse());
        assertEquals("vectorim/element-web:latest", config.images().element());
        assertEquals("jonasal/nginx-certbot:latest", config.images().proxy());
        assertEquals(new InstallConfig.Ports(8008, 8080, 80, 443, 8448), config.ports());
        assertEquals(InstallConfig.TlsMode.ACME, config.tls().mode());
        assertEquals("https://acme-v02.api.letsencrypt.org/directory", config.tls().acmeDirectory());
        assertEquals("nginx:stable-alpine", TlsModes.of(config).proxyImage(config));
        assertEquals("Element", config.elementBrand());
        assertEquals(false, config.delegated());
    }

    @Test
    void fileAndFlagsMapOntoTheSameKeysAndFlagsWin() throws IOException {
        Path file = dir.resolve("matrix-install.yaml");
        Files.writeString(file, "domain: chat.club.example\nemail: ops@club.example\nserver_name: club.example\n"
                + "element:\n  brand: Club Chat\nports:\n  https: 8443\n");
        InstallConfig config = ConfigLoader.load(Optional.of(file), Map.of("ports.https", "9443"));
        assertEquals("chat.club.example", config.domain());
        assertEquals("ops@club.example", config.email());
        assertEquals("club.example", config.serverName());
        assertEquals("Club Chat", config.elementBrand());
        assertEquals(9443, config.ports().https());
        assertEquals(true, config.delegated());
    }

    @Test
    void domainIsLowerCasedAndTrailingDotDropped() {
        Map<String, String> flags = minimal();
        flags.put("domain", "Matrix.Example.ORG.");
        assertEquals("matrix.example.org", ConfigLoader.load(Optional.empty(), flags).domain());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|127.0.0.1|true",
        "127.0.0.2|127.0.0.2|true",
        "10.1.2.3|10.1.2.3|false",
        "10.0.0.0/8|10.0.0.0/8|false",
        "127.0.0.0/7|127.0.0.0/7|false",
        "::1|0:0:0:0:0:0:0:1|true",
        "fd00::/64|fd00:0:0:0:0:0:0:0/64|false",
    })
    void theExternalProxysAddressDecidesTrustAndLoopbackListening(String given, String cidr, boolean loopback) {
        Map<String, String> flags = minimal();
        flags.put("tls.mode", "external");
        flags.put("tls.external.trusted_proxy", given);
        TrustedProxy proxy = ConfigLoader.load(Optional.empty(), flags).tls().trustedProxy();
        assertEquals(new TrustedProxy(cidr, loopback), proxy);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "domain|exa mple.org|domain: not a valid DNS name (got 'exa mple.org')",
        "domain|localhost|domain: not a valid DNS name (got 'localhost')",
        "domain|-bad.example.org|domain: not a valid DNS name (got '-bad.example.org')",
        "domain|192.0.2.1|domain: not a valid DNS name (got '192.0.2.1')",
        "server_name|example.org:99999|server_name: port out of range 1-65535 (got 99999)",
        "server_name|under_score.org|server_name: not a valid DNS name (got 'under_score.org')",
        "email|admin|email: not an e-mail address (got 'admin')",
        "email|admin@localhost|email: not an e-mail address (got 'admin@localhost')",
        "email|ad$min@example.org|email: not an e-mail address (got 'ad$min@example.org')",
        "email|a..b@example.org|email: not an e-mail address (got 'a..b@example.org')",
        "email|a?b@example.org|email: not an e-mail address (got 'a?b@example.org')",
        "ports.https|+443|ports.https: not a port number (got '+443')",
        "base_dir|data/matrix|base_dir: must be an absolute path (got 'data/matrix')",
        "base_dir|/data/../matrix|base_dir: not a normalised path (got '/data/../matrix', did you mean '/matrix'?)",
        "base_dir|/data/matrix/|base_dir: not a normalised path (got '/data/matrix/', did you mean '/data/matrix'?)",
        "base_dir|/|base_dir: / is a system directory; choose a directory of its own such as /data/matrix",
        "base_dir|/tmp|base_dir: /tmp is a system directory; choose a directory of its own such as /data/matrix",
        "base_dir|/etc|base_dir: /etc is a system directory; choose a directory of its own such as /data/matrix",
        "base_dir|/usr/lib64|base_dir: /usr/lib64 is a system directory; choose a directory of its own such as /data/matrix",
        "base_dir|/etc/cron.d|base_dir: /etc/cron.d is a system directory; choose a directory of its own such as /data/matrix",
        "proxy_dir|/root|proxy_dir: /root is a system directory; choose a directory of its own such as /root/nginx",
        "proxy_data_dir|/var/lib|proxy_data_dir: /var/lib is a system directory; choose a directory of its own such as /data/nginx",
        "renewal.agent_dir|/usr/local/lib|renewal.agent_dir: /usr/local/lib is a system directory; choose a directory of its own such as /usr/local/lib/matrix-install",
        "renewal.systemd_dir|/etc|renewal.systemd_dir: /etc is a system directory; name the directory systemd reads, such as /etc/systemd/system",
        "renewal.cron_dir|/etc/systemd/system|renewal.cron_dir: /etc/systemd/system is a system directory; name the directory cron reads, such as /etc/cron.d",
        "renewal.cron_dir|/tmp|renewal.cron_dir: /tmp is a system directory; name the directory cron reads, such as /etc/cron.d",
        "base_dir|/run/matrix|base_dir: /run/matrix is inside /run, which does not keep files; choose a directory such as /data/matrix",
        "renewal.systemd_dir|/run/systemd/system|renewal.systemd_dir: /run/systemd/system is inside /run, which does not keep files; choose a directory such as /etc/systemd/system",
        "proxy_dir|/proc/1/root|proxy_dir: /proc/1/root is inside /proc, which does not keep files; choose a directory such as /root/nginx",
        "base_dir|/data/my matrix|base_dir: must not contain spaces (got '/data/my matrix')",
        "proxy_dir|nginx|proxy_dir: must be an absolute path (got 'nginx')",
        "proxy_data_dir|/data//nginx|proxy_data_dir: not a normalised path (got '/data//nginx', did you mean '/data/nginx'?)",
        "renewal.cron_dir|/etc/cron.d/.|renewal.cron_dir: not a normalised path (got '/etc/cron.d/.', did you mean '/etc/cron.d'?)",
        "renewal.agent_dir|/opt/a:b|renewal.agent_dir: may contain only letters, digits, '/', '.', '_', '-', '+' and '@' (got '/opt/a:b')",
        "base_dir|/data/$HOME|base_dir: may contain only letters, digits, '/', '.', '_', '-', '+' and '@' (got '/data/$HOME')",
        "proxy_dir|/data/matrix|proxy_dir: must not overlap base_dir (/data/matrix and /data/matrix)",
        "proxy_data_dir|/data/matrix/secrets/nginx|proxy_data_dir: must not overlap base_dir (/data/matrix/secrets/nginx and /data/matrix)",
        "renewal.agent_dir|/data/matrix/files/agent|renewal.agent_dir: must not overlap base_dir (/data/matrix/files/agent and /data/matrix)",
        "renewal.cron_dir|/data/nginx/cron.d|renewal.cron_dir: must not overlap proxy_data_dir (/data/nginx/cron.d and /data/nginx)",
        "renewal.systemd_dir|/usr/local/lib/matrix-install|renewal.systemd_dir: must not overlap renewal.agent_dir (/usr/local/lib/matrix-install and /usr/local/lib/matrix-install)",
        "base_dir|/data/nginx/matrix|proxy_data_dir: must not overlap base_dir (/data/nginx and /data/nginx/matrix)",
        "tls.mode|letsencrypt|tls.mode: must be one of acme, nginx-certbot, files, external, self-signed, none (got 'letsencrypt')",
        "compose.matrix_project|My Stack|compose.matrix_project: not a Compose project name: lower-case letters, digits, '-' and '_' (got 'My Stack')",
        "compose.proxy_project|matrix|compose.proxy_project: must differ from compose.matrix_project",
        "synapse.extra_config|/nonexistent/extra.yaml|synapse.extra_config: cannot read /nonexistent/extra.yaml (NoSuchFileException)",
        "ports.https|70000|ports.https: port out of range 1-65535 (got 70000)",
        "ports.https|0|ports.https: port out of range 1-65535 (got 0)",
        "ports.synapse|http|ports.synapse: not a port number (got 'http')",
        "ports.element|8008|ports.element: 8008 is already used by ports.synapse",
        "images.synapse|Matrix/Synapse|images.synapse: not a Docker image reference (got 'Matrix/Synapse')",
        "element.brand|'   '|element.brand: must not be empty",
        "tls.email|a@b.org|tls.email: unknown key",
        "tls.external.trusted_proxy|proxy.example.org|tls.external.trusted_proxy: not an IP address or CIDR range (got 'proxy.example.org')",
        "tls.external.trusted_proxy|10.0.0.256|tls.external.trusted_proxy: not an IP address or CIDR range (got '10.0.0.256')",
        "tls.external.trusted_proxy|10.0.0.0/33|tls.external.trusted_proxy: prefix length must be 0-32 (got '10.0.0.0/33')",
        "tls.external.trusted_proxy|fd00::/129|tls.external.trusted_proxy: prefix length must be 0-128 (got 'fd00::/129')",
        "tls.external.trusted_proxy|fe80::1%eth0|tls.external.trusted_proxy: not an IP address or CIDR range (got 'fe80::1%eth0')",
        "tls.external.trusted_proxy|10.0.0.1/|tls.external.trusted_proxy: prefix length must be 0-32 (got '10.0.0.1/')",
        "domian|x.org|domian: unknown key (did you mean 'domain'?)",
    })
    void badValuesAreRefusedWithOneLineNamingTheKey(String key, String value, String message) {
        Map<String, String> flags = minimal();
        flags.put(key, value);
        assertEquals(message, error(flags));
    }

    @Test
    void defaultDirectoriesAndOperatorsOwnDirectoriesBelowSystemOnesAreFine() {
        InstallConfig config = ConfigLoader.load(Optional.empty(), minimal());
        assertEquals(new InstallConfig.Renewal("auto", Path.of("/usr/local/lib/matrix-install"),
                Path.of("/etc/systemd/system"), Path.of("/etc/cron.d")), config.renewal());
        Map<String, String> flags = minimal();
        flags.put("base_dir", "/srv/matrix");
        flags.put("proxy_dir", "/opt/nginx-stack");
        flags.put("proxy_data_dir", "/var/lib/matrix-nginx");
        flags.put("renewal.agent_dir", "/opt/matrix-install");
        flags.put("renewal.systemd_dir", "/srv/schedules"); // systemd and cron may share one directory
        flags.put("renewal.cron_dir", "/srv/schedules");
        config = ConfigLoader.load(Optional.empty(), flags);
        assertEquals(Path.of("/srv/matrix"), config.baseDir());
        assertEquals(Path.of("/var/lib/matrix-nginx"), config.proxyDataDir());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"domain", "server_name", "email", "element.brand", "base_dir", "proxy_dir",
        "images.synapse", "tls.acme.directory", "tls.files.certificate", "renewal.cron_dir", "compose.matrix_project"})
    void aControlCharacterInAnyValueIsRefusedOnOneLine(String key) {
        Map<String, String> flags = minimal();
        flags.put(key, "/data/matrix\nx\u2028".translateEscapes());
        String message = error(flags);
        assertEquals(key + ": must not contain control characters (got '/data/matrix\\nx\\u2028')", message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void controlCharactersInFileValuesAndKeysAreRefusedOnOneLine() throws IOException {
        assertEquals("element.brand: must not contain control characters (got 'Club\\nChat')",
                fileError("domain: a.example.org\nemail: a@example.org\nelement:\n  brand: \"Club\\nChat\"\n"));
        assertEquals("domain: must not contain control characters (got 'a.example.org\\n')",
                fileError("domain: |\n  a.example.org\nemail: a@example.org\n"));
        assertEquals("ports.ht\\tps: unknown key (did you mean 'ports.https'?)",
                fileError("domain: a.example.org\nemail: a@example.org\nports:\n  \"ht\\tps\": 1\n"));
    }

    @Test
    void fileValuesMeanWhatTheySayAsOnTheCommandLine() throws IOException {
        Path file = dir.resolve("matrix-install.yaml");
        Files.writeString(file, "domain: a.example.org\nemail: a@example.org\nelement:\n  brand: no\n");
        assertEquals("no", ConfigLoader.load(Optional.of(file), Map.of()).elementBrand());
        Files.writeString(file, "domain: a.example.org\nemail: a@example.org\nelement:\n  brand: 2024-01-01\n"
                + "ports:\n  https: 8443\ntls:\n  acme:\n    staging: yes\n");
        InstallConfig config = ConfigLoader.load(Optional.of(file), Map.of());
        assertEquals("2024-01-01", config.elementBrand());
        assertEquals(8443, config.ports().https());
        assertEquals("https://acme-staging-v02.api.letsencrypt.org/directory", config.tls().acmeDirectory());
        Files.writeString(file, "domain: a.example.org\nemail: a@example.org\nports:\n  https: 0x1BB\n");
        assertEquals("ports.https: not a port number (got '0x1BB')",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of())).getMessage());
    }

    @Test
    void synapseExtraConfigMayAddSettingsButNotRewireTheStack() throws IOException {
        Path extra = dir.resolve("extra.yaml");
        Files.writeString(extra, "enable_registration: true\nregistration_requires_3pid: [email]\n");
        Map<String, String> flags = minimal();
        flags.put("synapse.extra_config", extra.toString());
        InstallConfig config = ConfigLoader.load(Optional.empty(), flags);
        assertEquals(java.util.Set.of("enable_registration", "registration_requires_3pid"), config.synapseExtra().keys());
        Files.writeString(extra, "database:\n  name: sqlite3\n");
        assertEquals("synapse.extra_config: " + extra + " sets 'database', which matrix-install manages", error(flags));
        Files.writeString(extra, "- a list\n");
        assertEquals("synapse.extra_config: " + extra + " must be a mapping of Synapse settings", error(flags));
    }

    @Test
    void acmeSettings() {
        Map<String, String> flags = minimal();
        flags.put("tls.acme.staging", "true");
        assertEquals("https://acme-staging-v02.api.letsencrypt.org/directory",
                ConfigLoader.load(Optional.empty(), flags).tls().acmeDirectory());
        flags.put("tls.acme.directory", "https://ca.internal/acme/directory");
        assertEquals("tls.acme.staging: conflicts with tls.acme.directory; set only one", error(flags));
        flags.remove("tls.acme.staging");
        assertEquals("https://ca.internal/acme/directory", ConfigLoader.load(Optional.empty(), flags).tls().acmeDirectory());
        flags.put("tls.acme.directory", "http://ca.internal/acme/directory");
        assertEquals("tls.acme.directory: not an https:// URL (got 'http://ca.internal/acme/directory')", error(flags));
        flags.remove("tls.acme.directory");
        flags.put("tls.acme.staging", "maybe");
        assertEquals("tls.acme.staging: must be true or false (got 'maybe')", error(flags));
    }

    @Test
    void filesModeNeedsBothFiles() {
        Map<String, String> flags = minimal();
        flags.put("tls.mode", "files");
        assertEquals("tls.files.certificate: required when tls.mode is files", error(flags));
    }

    @Test
    void requiredKeysAreNamed() {
        assertEquals("domain: required (public host name, e.g. matrix.example.org)",
                error(new LinkedHashMap<>(Map.of("email", "a@example.org"))));
        assertEquals("email: required (operator e-mail for certificates)",
                error(new LinkedHashMap<>(Map.of("domain", "example.org"))));
    }

    @Test
    void fileProblemsNameTheKeyOrTheLine() throws IOException {
        assertEquals("ports.htps: unknown key (did you mean 'ports.https'?)",
                fileError("domain: a.example.org\nemail: a@example.org\nports:\n  htps: 1\n"));
        assertEquals("domain: expected a single value, not a mapping", fileError("domain:\n  name: x\n"));
        assertEquals("domain: expected a single value, not a list", fileError("domain: [a, b]\n"));
        assertEquals("element.brand: expected a single value, not a YAML binary",
                fileError("element:\n  brand: !!binary aGVsbG8=\n"));
        assertEquals("element.brand: expected a single value, not a YAML timestamp",
                fileError("element:\n  brand: !!timestamp 2024-01-01\n"));
        assertEquals("config: " + dir.resolve("matrix-install.yaml") + " must be a mapping of keys to values",
                fileError("- domain\n"));
        String duplicate = fileError("domain: a.example.org\ndomain: b.example.org\n");
        assertEquals(true, duplicate.startsWith("config: " + dir.resolve("matrix-install.yaml") + " is not valid YAML at line"),
                duplicate);
    }
}
