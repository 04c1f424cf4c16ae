package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.config.ConfigException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OpsCliTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void sinceTakesADurationBackOrATime() {
        assertEquals(Instant.parse("2026-11-25T11:50:00Z"), LogsCommand.since("10m", NOW));
        assertEquals(Instant.parse("2026-11-24T12:00:00Z"), LogsCommand.since("1d", NOW));
        assertEquals(Instant.parse("2026-11-25T11:59:30Z"), LogsCommand.since("30s", NOW));
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), LogsCommand.since("2026-11-25T10:00:00Z", NOW));
        assertEquals("--since: expected a duration like 10m or a time like 2026-11-25T10:00:00Z (got 'yesterday')",
                assertThrows(ConfigException.class, () -> LogsCommand.since("yesterday", NOW)).getMessage());
    }

    @Test
    void agesAndSizesReadAtAGlance() {
        assertEquals("3d", StatusCommand.age("2026-11-22T11:00:00Z", NOW));
        assertEquals("5m", StatusCommand.age("2026-11-25T11:54:59.123456789Z", NOW));
        assertEquals("?", StatusCommand.age(null, NOW));
        assertEquals("1.5 KiB", StatusCommand.size(1536L));
        assertEquals("12 B", StatusCommand.size(12L));
        assertEquals("?", StatusCommand.size(null));
    }
}
