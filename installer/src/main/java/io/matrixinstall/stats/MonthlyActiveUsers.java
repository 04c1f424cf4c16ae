package io.matrixinstall.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Seed 002's "Calculate monthly active users" queries. Current: distinct users in {@code user_ips} seen since
 * 00:00 UTC thirty days ago (what Synapse's phone-home stats count). A past month: distinct users in
 * {@code user_daily_visits} from the 1st of the month to the 1st of the next (Synapse fills that table every
 * five minutes, so the current month lags by up to five minutes). Support users are never counted.
 */
public final class MonthlyActiveUsers {
    static final String CURRENT = "SELECT COUNT(*) FROM (SELECT user_id FROM user_ips WHERE last_seen >= ?"
            + " AND user_id NOT IN (SELECT name FROM users WHERE user_type = 'support') GROUP BY user_id) AS temp";
    static final String MONTH = "SELECT COUNT(*) FROM (SELECT user_id, MAX(timestamp) AS timestamp FROM user_daily_visits"
            + " WHERE timestamp >= ? AND timestamp < ?"
            + " AND user_id NOT IN (SELECT name FROM users WHERE user_type = 'support') GROUP BY user_id) AS temp";

    /** One count: which period, its bounds ({@code to} empty for "until now"), the source table. */
    public record Count(String period, Instant from, Optional<Instant> to, String source, long users) {}

    private MonthlyActiveUsers() {}

    /** The start of the UTC day thirty days before {@code now}. */
    public static Instant thirtyDaysBefore(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public static Count current(Connection connection, Instant now) throws SQLException {
        Instant from = thirtyDaysBefore(now);
        return new Count("last 30 days", from, Optional.empty(), "user_ips", count(connection, CURRENT, from.toEpochMilli()));
    }

    /** 00:00 UTC of the month's first day. */
    public static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public static Count month(Connection connection, YearMonth month) throws SQLException {
        Instant from = start(month);
        Instant to = start(month.plusMonths(1));
        return new Count(month.toString(), from, Optional.of(to), "user_daily_visits",
                count(connection, MONTH, from.toEpochMilli(), to.toEpochMilli()));
    }

    private static long count(Connection connection, String sql, long... bounds) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < bounds.length; i++) {
                statement.setLong(i + 1, bounds[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
