package io.matrixinstall.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.component.TemplateModel;
import io.matrixinstall.command.Commands;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** postgres.version as data: the image and volume it picks, the version file, the row count comparison. */
class PostgresVersionTest {

    private static InstallConfig config(Map<String, String> more) {
        Map<String, String> flags = new TreeMap<>(Map.of("domain", "matrix.example.org", "email", "admin@example.org"));
        flags.putAll(more);
        return ConfigLoader.load(Optional.empty(), flags);
    }

    @Test
    void theMajorPicksTheImageAndItsOwnVolumeAnd15KeepsTheSeedsNames() {
        InstallConfig seed = config(Map.of());
        assertEquals(15, seed.postgresVersion());
        assertEquals("postgres:15-alpine", seed.images().postgres());
        assertEquals("matrix_postgres-data", new Layout(seed).databaseVolume());
        InstallConfig upgraded = config(Map.of("postgres.version", "17"));
        assertEquals("postgres:17-alpine", upgraded.images().postgres());
        assertEquals("matrix_postgres-data-17", new Layout(upgraded).databaseVolume());
        assertEquals("matrix_postgres-data", new Layout(upgraded).databaseVolume(15));
        assertEquals("my/pg:17", config(Map.of("postgres.version", "17", "images.postgres", "my/pg:17")).images().postgres());
        assertEquals("postgres.version: must be one of 15, 16, 17 (got '14')",
                assertThrows(ConfigException.class, () -> config(Map.of("postgres.version", "14"))).getMessage());
    }

    @Test
    void theComposeFileNamesTheMajorsVolume() {
        var renderer = new TemplateRenderer();
        InstallConfig upgraded = config(Map.of("postgres.version", "17"));
        String compose = new String(renderer.render("compose/docker-compose.yml.ftl",
                TemplateModel.of(upgraded, new Layout(upgraded), null)), StandardCharsets.UTF_8);
        assertTrue(compose.contains("- postgres-data-17:/var/lib/postgresql/data"), compose);
        assertTrue(compose.contains("\n  postgres-data-17:"), compose);
        assertTrue(compose.contains("image: \"postgres:17-alpine\""), compose);
    }

    @Test
    void theVersionFileRoundTripsAndRefusesWhatItCannotRead() {
        String text = new String(new TemplateRenderer().render("matrix/postgres-version.ftl", Map.of("version", 17, "previous", 15)),
                StandardCharsets.UTF_8);
        assertEquals(new PostgresVersionFile(17, OptionalInt.of(15)), PostgresVersionFile.parse(text));
        String pruned = new String(new TemplateRenderer().render("matrix/postgres-version.ftl", Map.of("version", 17)),
                StandardCharsets.UTF_8);
        assertEquals(new PostgresVersionFile(17, OptionalInt.empty()), PostgresVersionFile.parse(pruned));
        assertThrows(RuntimeException.class, () -> PostgresVersionFile.parse("version: seventeen"));
    }

    @Test
    void rowCountsNameEveryTableThatDiffers() {
        RowCounts before = new RowCounts(new TreeMap<>(Map.of("users", 2L, "events", 10L, "rooms", 1L)));
        RowCounts same = new RowCounts(new TreeMap<>(Map.of("users", 2L, "events", 10L, "rooms", 1L)));
        RowCounts after = new RowCounts(new TreeMap<>(Map.of("users", 2L, "events", 9L, "profiles", 2L)));
        assertEquals(List.of(), before.differences(same));
        assertEquals(List.of("events 10 -> 9", "profiles absent -> 2", "rooms 1 -> absent"), before.differences(after));
        assertEquals(List.of("event_json", "room_memberships", "state_events"), before.missingMainTables());
    }

    @Test
    void theUpgradesCommandsRunInsideTheDbContainer() {
        assertEquals(List.of("docker", "exec", "c1", "pg_restore", "-U", "synapse", "-d", "synapse", "--exit-on-error",
                "--single-transaction", "/tmp/x.dump"), Commands.pgRestoreInto("c1", "/tmp/x.dump").argv());
        assertEquals(List.of("docker", "volume", "rm", "matrix_postgres-data"), Commands.volumeRemove("matrix_postgres-data").argv());
        assertTrue(Commands.tableRowCounts("c1").argv().contains("e2e_one_time_keys_json") == false
                && String.join(" ", Commands.tableRowCounts("c1").argv()).contains("<> 'e2e_one_time_keys_json'"));
    }
}
