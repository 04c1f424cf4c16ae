package io.matrixinstall.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.layout.StateDir;
import io.matrixinstall.steps.RecordConfigStep;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `up` records its configuration in the state dir; every later command starts from it. */
class RecordedConfigTest {
    @TempDir
    Path dir;

    InstallConfig installed() {
        return ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org", "email", "admin@example.org",
                "tls.mode", "self-signed", "element.brand", "Club \"Chat\" – é", "ports.https", "8443"));
    }

    @Test
    void recordedThroughTheGateRootOnlyAndReadBackAsTheSameConfiguration() throws Exception {
        StateDir state = new StateDir(dir.resolve("state"));
        List<String> lines = new ArrayList<>();
        PlanContext dry = new PlanContext(installed(), new LocalHost(), ChangeGate.recording(lines::add));
        new RecordConfigStep(new TemplateRenderer(), state).run(dry);
        assertEquals(List.of("create directory " + state.dir() + " (root:root 0700)",
                "write " + state.config() + " (root:root 0600)"), lines);
        assertTrue(Files.notExists(state.dir()), "a dry run writes nothing");

        new RecordConfigStep(new TemplateRenderer(), state).run(new PlanContext(installed(), new LocalHost(), ChangeGate.applying(l -> {})));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.config())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.dir())));
        Map<String, String> recorded = RecordedConfig.read(new LocalHost(), state).orElseThrow();
        InstallConfig read = ConfigLoader.load(recorded, Optional.empty(), Map.of());
        assertEquals(installed().settings(), read.settings());
        assertEquals(InstallConfig.TlsMode.SELF_SIGNED, read.tls().mode());

        List<String> again = new ArrayList<>();
        new RecordConfigStep(new TemplateRenderer(), state).run(new PlanContext(read, new LocalHost(), ChangeGate.recording(again::add)));
        assertEquals(List.of(), again, "recording the same configuration again changes nothing");
    }

    @Test
    void theRenewalScheduleRunsRenewWithTheRecordedConfiguration() {
        Map<String, Object> model = Map.of("domain", "matrix.example.org", "java", "/usr/bin/java",
                "agent_jar", "/usr/local/lib/matrix-install/matrix-install.jar", "state_dir", "/etc/matrix-install", "minute", 7);
        String cron = new String(new TemplateRenderer().render("host/matrix-install-renew.cron.ftl", model),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(cron.contains("7 3,15 * * * root /usr/bin/java -jar /usr/local/lib/matrix-install/matrix-install.jar renew"
                + " --state-dir /etc/matrix-install >/dev/null 2>&1"), cron);
        String service = new String(new TemplateRenderer().render("host/matrix-install-renew.service.ftl", model),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(service.contains("ExecStart=/usr/bin/java -jar /usr/local/lib/matrix-install/matrix-install.jar renew"
                + " --state-dir /etc/matrix-install\n"), service);
    }

    @Test
    void flagsOverrideTheRecordedConfigurationKeyByKey() {
        InstallConfig read = ConfigLoader.load(installed().settings(), Optional.empty(), Map.of("element.brand", "Other"));
        assertEquals("Other", read.elementBrand());
        assertEquals(8443, read.ports().https());
        assertEquals("matrix.example.org", read.domain());
    }

    @Test
    void nothingRecordedIsEmptyAndSaidInOneLine() {
        StateDir state = new StateDir(dir.resolve("none"));
        assertTrue(RecordedConfig.read(new LocalHost(), state).isEmpty());
        String message = RecordedConfig.nothingInstalled(new LocalHost(), state);
        assertTrue(message.startsWith("nothing is installed on localhost (no " + state.config() + ")"), message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void theStateDirComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        assertEquals(Path.of("/srv/a"), StateDir.resolve(Optional.of(Path.of("/srv/a")), Map.of(StateDir.ENV, "/srv/b")).dir());
        assertEquals(Path.of("/srv/b"), StateDir.resolve(Optional.empty(), Map.of(StateDir.ENV, "/srv/b")).dir());
        assertEquals(Path.of("/etc/matrix-install"), StateDir.resolve(Optional.empty(), Map.of()).dir());
        assertThrows(ConfigException.class, () -> new StateDir(Path.of("relative")));
    }

    @Test
    void anUnknownRecordedKeyIsRefusedNamingIt() {
        var e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("domian", "x"), Optional.empty(), Map.of()));
        assertTrue(e.getMessage().contains("domian"), e.getMessage());
    }
}
