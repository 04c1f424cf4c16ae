package io.matrixinstall.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class MonthlyActiveUsersTest {
    /** Seed 002's own example: run on 7 January 2025, the current MAU counts from 8 December 2024 00:00 GMT. */
    @Test
    void currentStartsAtMidnightUtcThirtyDaysBack() {
        assertEquals(1733616000000L, MonthlyActiveUsers.thirtyDaysBefore(Instant.parse("2025-01-07T15:42:10Z")).toEpochMilli());
        assertEquals(1733616000000L, MonthlyActiveUsers.thirtyDaysBefore(Instant.parse("2025-01-07T00:00:00Z")).toEpochMilli());
    }

    /** Seed 002's retrospective example: November 2024 is [1730419200000, 1733011200000). */
    @Test
    void aMonthRunsFromItsFirstToTheNextFirst() {
        assertEquals(1730419200000L, MonthlyActiveUsers.start(YearMonth.of(2024, 11)).toEpochMilli());
        assertEquals(1733011200000L, MonthlyActiveUsers.start(YearMonth.of(2024, 12)).toEpochMilli());
    }

    @Test
    void theQueriesAreTheSeedsWithParameters() {
        assertEquals(1, MonthlyActiveUsers.CURRENT.chars().filter(c -> c == '?').count());
        assertEquals(2, MonthlyActiveUsers.MONTH.chars().filter(c -> c == '?').count());
        assertEquals(true, MonthlyActiveUsers.CURRENT.contains("user_type = 'support'"));
    }
}
