package io.matrixinstall.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.component.tls.TlsModeComponent;
import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.secrets.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the enabled components add up to, per TLS mode: the seed's layout, as Layout listed it before. */
class ComponentsTest {
    private static final List<String> MATRIX_DIRS = List.of("/data/matrix", "/data/matrix/secrets", "/data/matrix/files",
            "/data/matrix/files/media_store", "/data/matrix/schemas");
    private static final List<String> PROXY_DIRS = List.of("/root/nginx", "/data/nginx", "/data/nginx/user_conf.d");
    private static final List<String> CERT_DIRS = List.of("/data/nginx/acme-challenge", "/data/nginx/letsencrypt",
            "/data/nginx/letsencrypt/live", "/data/nginx/letsencrypt/live/matrix.example.org");
    private static final List<String> MATRIX_FILES = List.of("/data/matrix/files/homeserver.yaml",
            "/data/matrix/files/matrix.example.org.log.config", "/data/matrix/element-config.json",
            "/data/matrix/docker-compose.yml");

    static InstallConfig config(String mode) {
        Map<String, String> flags = new HashMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org",
                "tls.mode", mode));
        if (mode.equals("external")) {
            flags.put("tls.external.trusted_proxy", "10.0.0.1");
        }
        return ConfigLoader.load(Optional.empty(), flags);
    }

    private static List<String> paths(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        Arrays.stream(lists).forEach(all::addAll);
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "self-signed", "external", "nginx-certbot", "none"})
    void directoriesParentsFirstAndFilesPerMode(String mode) {
        InstallConfig config = config(mode);
        Layout layout = new Layout(config);
        List<String> dirs = paths(Components.directories(layout).stream().map(ManagedDirectory::path).toList());
        Set<String> files = new TreeSet<>(paths(Components.files(layout).stream().map(RenderedFile::path).toList()));
        Set<String> proxyFiles = Set.of("/root/nginx/compose.yml", "/data/nginx/user_conf.d/matrix.example.org.conf");
        Set<String> certbotFiles = Set.of("/data/nginx/nginx-certbot.env", "/data/nginx/user_conf.d/_http-redirect.conf",
                "/data/nginx/image-redirector.conf");
        switch (mode) {
            case "none" -> {
                assertEquals(MATRIX_DIRS, dirs);
                assertEquals(new TreeSet<>(MATRIX_FILES), files);
            }
            case "nginx-certbot" -> {
                assertEquals(concat(MATRIX_DIRS, PROXY_DIRS, List.of("/data/nginx/certbot-trust")), dirs);
                assertEquals(new TreeSet<>(concat(MATRIX_FILES, List.copyOf(proxyFiles), List.copyOf(certbotFiles))), files);
            }
            default -> {
                assertEquals(concat(MATRIX_DIRS, PROXY_DIRS, CERT_DIRS), dirs);
                assertEquals(new TreeSet<>(concat(MATRIX_FILES, List.copyOf(proxyFiles))), files);
            }
        }
        for (int i = 0; i < dirs.size(); i++) {
            for (int j = i + 1; j < dirs.size(); j++) {
                assertTrue(!Path.of(dirs.get(i)).startsWith(Path.of(dirs.get(j))), dirs.get(j) + " after its child " + dirs.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "self-signed", "external", "nginx-certbot", "none"})
    void exactlyOneModeIsEnabledAndItIsTheConfiguredOne(String mode) {
        InstallConfig config = config(mode);
        List<TlsModeComponent> enabled = TlsModes.ALL.stream().filter(m -> m.enabled(config)).toList();
        assertEquals(1, enabled.size());
        assertEquals(mode, enabled.get(0).toString());
        assertTrue(Components.enabled(config).contains(TlsModes.of(config)));
    }

    @Test
    void servicesImagesAndPortsFollowTheMode() {
        InstallConfig none = config("none");
        assertEquals(List.of("db", "synapse", "element"), Components.services(new Layout(none)).stream()
                .map(ComposeService::name).toList());
        assertEquals(List.of(), Components.publicPorts(none));
        InstallConfig certbot = config("nginx-certbot");
        assertEquals(List.of(certbot.images().postgres(), certbot.images().synapse(), certbot.images().element(),
                certbot.images().proxy()), Components.images(new Layout(certbot)));
        assertEquals(List.of(80, 443, 8448), Components.publicPorts(certbot));
        InstallConfig external = config("external");
        assertEquals(external.images().nginx(), Components.services(new Layout(external)).get(3).image());
        assertEquals(List.of(80), Components.publicPorts(external));
    }

    @Test
    void everyGeneratedSecretBelongsToOneComponent() {
        List<Secret> declared = Components.ALL.stream().flatMap(c -> c.secrets().stream()).toList();
        assertEquals(Set.of(Secret.values()), Set.copyOf(declared));
        assertEquals(declared.size(), Set.copyOf(declared).size());
    }

    @Test
    void aSwitchedOffProxyLeavesItsStackAndFiles() {
        InstallConfig none = config("none");
        // Opt-in features, off by default, leave their own leftovers: MailLdapComponentsTest and
        // RegistrationBrandingComponentsTest cover them.
        List<Leftover> leftovers = Components.disabled(none).stream()
                .filter(c -> !Set.of("e-mail", "ldap", "element branding").contains(c.name()))
                .flatMap(c -> c.leftovers(new Layout(none)).stream()).toList();
        assertEquals(Set.of("/root/nginx/compose.yml", "/data/nginx/.matrix-install-nginx-loaded", "/data/nginx/nginx-certbot.env"),
                leftovers.stream().filter(l -> l.kind() == Leftover.Kind.FILE).map(l -> l.path().toString())
                        .collect(Collectors.toSet()));
        assertEquals(List.of("nginx"), leftovers.stream().filter(l -> l.kind() == Leftover.Kind.PROJECT)
                .map(Leftover::project).toList());
    }
}
