package io.matrixinstall.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.db.PostgresConnection;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.stats.MonthlyActiveUsers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `stats mau`: reports read from the database; they change nothing, so they take no host lock. */
@Command(name = "stats", description = "Reports read from the server's database.", subcommands = StatsCommand.Mau.class)
final class StatsCommand {

    @Command(name = "mau", description = "Monthly active users (seed 002's queries): the last 30 days, or --month YYYY-MM."
            + " The agent's own support account is never counted.")
    static final class Mau implements Callable<Integer> {
        @Mixin
        ReadOptions readOptions;

        @Mixin
        JsonOption output;

        @Spec
        CommandSpec spec;

        @Option(names = "--month", paramLabel = "YYYY-MM", description = "A calendar month (UTC) instead of the last 30 days.")
        String month;

        @Override
        public Integer call() throws Exception {
            YearMonth chosen = month == null ? null : month(month);
            return readOptions.run(spec, frame -> {
                Host host = frame.host();
                InstallConfig config = readOptions.load(host);
                MonthlyActiveUsers.Count count;
                try (Connection connection = PostgresConnection.open(host, config, true)) {
                    count = chosen == null ? MonthlyActiveUsers.current(connection, Instant.now())
                            : MonthlyActiveUsers.month(connection, chosen);
                } catch (SQLException e) {
                    throw new HostException("the MAU query failed: " + e.getMessage(), e);
                }
                if (output.json()) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("server_name", config.serverName());
                    doc.put("period", count.period());
                    doc.put("from", count.from().toString());
                    doc.put("to", count.to().map(Instant::toString).orElse(null));
                    doc.put("source", count.source());
                    doc.put("monthly_active_users", count.users());
                    frame.console().line(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
                } else {
                    frame.console().line("monthly active users of " + config.serverName() + ", " + count.period() + " (from "
                            + count.from() + count.to().map(t -> " to " + t).orElse("") + "): " + count.users());
                }
                return 0;
            });
        }

        static YearMonth month(String value) {
            try {
                return YearMonth.parse(value);
            } catch (DateTimeParseException e) {
                throw new ConfigException("--month", "expected YYYY-MM, e.g. 2026-11 (got '" + ConfigException.oneLine(value) + "')");
            }
        }
    }
}
