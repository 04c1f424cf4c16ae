package io.matrixinstall.ops;

import io.matrixinstall.component.ComposeService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceTest {
    static InstallConfig config(String tls) {
        return ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org", "email", "a@example.org",
                "tls.mode", tls));
    }

    @Test
    void startGoesUpTheDependenciesAndStopComesDownThePublicDoorFirst() {
        assertEquals(List.of("db", "synapse", "element", "nginx"),
                ComposeService.startOrder(config("self-signed")).stream().map(ComposeService::name).toList());
        assertEquals(List.of("nginx", "element", "synapse", "db"),
                ComposeService.stopOrder(config("self-signed")).stream().map(ComposeService::name).toList());
        ComposeService nginx = ComposeService.stopOrder(config("self-signed")).get(0);
        assertEquals("nginx", nginx.project());
        assertEquals(Path.of("/root/nginx/compose.yml"), nginx.composeFile());
        assertEquals(List.of("element", "synapse", "db"), ComposeService.stopOrder(config("none")).stream().map(ComposeService::name).toList());
    }

    @Test
    void oneServiceCanBeChosenAndAnUnknownOneIsOneLine() {
        assertEquals(List.of("synapse"), ComposeService.select(ComposeService.startOrder(config("none")), Optional.of("synapse"))
                .stream().map(ComposeService::name).toList());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ComposeService.select(ComposeService.startOrder(config("none")), Optional.of("nginx")));
        assertEquals("SERVICE: no service 'nginx' in this install (one of db, element, synapse)", e.getMessage());
    }
}
