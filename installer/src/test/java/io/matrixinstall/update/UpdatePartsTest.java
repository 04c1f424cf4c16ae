package io.matrixinstall.update;

import io.matrixinstall.component.ComposeService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdatePartsTest {
    private static final Map<String, String> REQUIRED = Map.of("domain", "matrix.example.org", "email", "admin@example.org");

    @Test
    void theBackupIsACustomFormatDumpWithoutOneTimeKeyRows() {
        assertEquals(List.of("docker", "exec", "c0ffee", "pg_dump", "-U", "synapse", "-d", "synapse", "-Fc",
                "--exclude-table-data=e2e_one_time_keys_json"), Commands.pgDump("c0ffee").argv());
    }

    @Test
    void theRestoreLoadsAFreshUtf8CDatabaseFromTheHostFileThenRenamesIt() {
        assertEquals(List.of("docker", "exec", "c0ffee", "psql", "-U", "synapse", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                "-X", "-q", "-t", "-A", "-c", "CREATE DATABASE synapse_incoming WITH TEMPLATE template0 ENCODING 'UTF8'"
                        + " LC_COLLATE 'C' LC_CTYPE 'C' OWNER synapse"),
                Commands.createSynapseStyleDatabase("c0ffee", "synapse_incoming").argv());
        assertEquals(List.of("sh", "-c", "exec docker exec -i \"$1\" pg_restore -U synapse -d \"$2\" --no-owner --no-acl"
                + " --role=synapse --exit-on-error < \"$3\"", "sh", "c0ffee", "synapse_incoming", "/data/b/database.dump"),
                Commands.pgRestoreFromHostFile("c0ffee", "synapse_incoming", java.nio.file.Path.of("/data/b/database.dump")).argv());
        assertEquals("DROP DATABASE IF EXISTS synapse WITH (FORCE)", last(Commands.dropDatabase("c0ffee", "synapse")));
        assertEquals("ALTER DATABASE synapse_incoming RENAME TO synapse",
                last(Commands.renameDatabase("c0ffee", "synapse_incoming", "synapse")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Commands.dropDatabase("c0ffee", "synapse; DROP TABLE users"));
    }

    private static String last(Command command) {
        return command.argv().get(command.argv().size() - 1);
    }

    @Test
    void pruningNeverTouchesVolumesOrTaggedImages() {
        assertEquals(List.of("docker", "image", "prune", "--force"), Commands.pruneDanglingImages().argv());
        assertEquals(List.of("docker", "builder", "prune", "--force"), Commands.pruneBuilderCache().argv());
    }

    @Test
    void rollbackTagsNameTheServiceAndTheDigest() {
        ComposeService synapse = new ComposeService("synapse", "matrix", Path.of("/data/matrix/docker-compose.yml"), "matrixdotorg/synapse:latest");
        UpdateRun.Change change = new UpdateRun.Change(synapse, "sha256:1111",
                "sha256:887e8f86a6bae3d533e59fa8d4cc73134108fd952933240f9aa6b484def08ce4",
                "sha256:5a98410dca4c993df900bb0025f133ac8ea2b7a928cc02e2dab7e86691b90e63");
        assertEquals("matrix-install/rollback/synapse:887e8f86a6ba", KeepImagesStep.tag(change));
        assertEquals("synapse sha256:887e8f86a6ba -> sha256:5a98410dca4c", change.describe());
        assertTrue(synapse.touchesDatabase());
    }

    @Test
    void servicesComeInDependencyOrderWithTheProxyOnlyWhenThereIsOne() {
        var none = ConfigLoader.load(Optional.empty(), with("tls.mode", "none"));
        assertEquals(List.of("db", "synapse", "element"), ComposeService.startOrder(none).stream().map(ComposeService::name).toList());
        var selfSigned = ConfigLoader.load(Optional.empty(), with("tls.mode", "self-signed"));
        assertEquals(List.of("db", "synapse", "element", "nginx"), ComposeService.startOrder(selfSigned).stream().map(ComposeService::name).toList());
    }

    @Test
    void refreshScheduleIsDailyByDefaultAndOnlyDailyOrOff() {
        assertEquals("daily", ConfigLoader.load(Optional.empty(), REQUIRED).refreshSchedule());
        assertEquals("off", ConfigLoader.load(Optional.empty(), with("refresh.schedule", "off")).refreshSchedule());
        assertEquals("refresh.schedule: must be daily or off (got 'hourly')",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), with("refresh.schedule", "hourly")))
                        .getMessage());
    }

    @Test
    void theCronEntryRunsRefreshWithTheInstalledConfiguration() {
        String cron = new String(new TemplateRenderer().render("host/matrix-install-refresh.cron.ftl", Map.of("domain",
                "matrix.example.org", "java", "/usr/bin/java", "agent_jar", "/usr/local/lib/matrix-install/matrix-install.jar",
                "state_dir", "/etc/matrix-install", "minute", 7, "hour", 4)),
                StandardCharsets.UTF_8);
        assertTrue(cron.contains("\n7 4 * * * root /usr/bin/java -jar /usr/local/lib/matrix-install/matrix-install.jar refresh"
                + " --state-dir /etc/matrix-install >/dev/null 2>&1\n"), cron);
    }

    @Test
    void theTimerRunsDailyAtTheDerivedTime() {
        String timer = new String(new TemplateRenderer().render("host/matrix-install-refresh.timer.ftl", Map.of("domain",
                "matrix.example.org", "minute", 7, "hour", 4)), StandardCharsets.UTF_8);
        assertTrue(timer.contains("\nOnCalendar=*-*-* 4:7:00\n"), timer);
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> flags = new java.util.HashMap<>(REQUIRED);
        flags.put(key, value);
        return flags;
    }
}
