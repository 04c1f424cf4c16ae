package io.matrixinstall.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.config.RegistrationMode;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.users.RegistrationTokens;
import io.matrixinstall.users.SynapseApi.RegistrationToken;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `token create|list|revoke`: Synapse's registration tokens, for registration.mode token (docs/registration.md). */
@Command(name = "token", description = "Manage the registration tokens of invite-only sign-up (registration.mode token),"
        + " through Synapse's admin API at its container's address.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,4})([mhdw])");

    @Command(name = "create", description = "Create a registration token and print it: hand it to the person who"
            + " may sign up.")
    static final class Create extends AdminApiCommand {
        @Option(names = "--uses", paramLabel = "N", description = "How many accounts may sign up with it (default: unlimited).")
        Integer uses;

        @Option(names = "--expires", paramLabel = "DURATION", description = "How long it works, e.g. 30m, 12h, 7d, 2w"
                + " (default: until revoked).")
        String expires;

        @Override
        public Integer call() throws Exception {
            if (uses != null && uses < 1) {
                throw new ConfigException("--uses", "must be 1 or more (got " + uses + ")");
            }
            Optional<Duration> validFor = Optional.ofNullable(expires).map(TokenCommand::duration);
            return run((frame, config) -> change(frame, config, "token create", gate -> {
                RegistrationToken token = new RegistrationTokens(frame.host(), config, gate)
                        .create(Optional.ofNullable(uses), validFor, Instant.now());
                // The history keeps what was made, not the token itself: it is an invitation.
                String what = describe(token);
                return new Result("created registration token " + token.token() + " (" + what + ")" + modeNote(config),
                        "created a registration token (" + what + ")");
            }));
        }
    }

    @Command(name = "list", description = "List the registration tokens: uses allowed, pending and completed sign-ups,"
            + " expiry.")
    static final class ListTokens extends AdminApiCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws Exception {
            return run((frame, config) -> {
                RegistrationTokens tokens = new RegistrationTokens(frame.host(), config, readGate());
                List<RegistrationToken> all = read(frame, changeOptions.lock(), "token list", tokens::ready, tokens::list);
                Console console = frame.console();
                if (output.json()) {
                    console.line(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                            Map.of("registration_tokens", all.stream().map(TokenCommand::asMap).toList())));
                    return 0;
                }
                if (all.isEmpty()) {
                    console.line("no registration tokens" + modeNote(config));
                    return 0;
                }
                String row = "%-24s %-9s %-7s %-9s %-20s %s";
                console.line(String.format(row, "TOKEN", "USES", "PENDING", "COMPLETED", "EXPIRES", "STATE"));
                Instant now = Instant.now();
                for (RegistrationToken t : all) {
                    console.line(String.format(row, t.token(), t.usesAllowed().map(String::valueOf).orElse("unlimited"),
                            t.pending(), t.completed(), t.expiryTime().map(TokenCommand::instant).orElse("never"), state(t, now)));
                }
                return 0;
            });
        }
    }

    @Command(name = "revoke", description = "Revoke a registration token: it no longer lets anyone sign up.")
    static final class Revoke extends AdminApiCommand {
        @Parameters(index = "0", paramLabel = "TOKEN", description = "The token, as `token list` shows it.")
        String token;

        @Override
        public Integer call() throws Exception {
            String value = RegistrationTokens.checked(token);
            return run((frame, config) -> change(frame, config, "token revoke", gate -> {
                if (!new RegistrationTokens(frame.host(), config, gate).revoke(value)) {
                    throw new StepFailedException("no registration token " + value + " on this server (see `matrix-install token list`)");
                }
                return new Result("revoked registration token " + value, "revoked a registration token");
            }));
        }
    }

    /** "30m", "12h", "7d", "2w" as a duration; anything else exit 2. */
    static Duration duration(String value) {
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw new ConfigException("--expires", "expected a number and m, h, d or w, e.g. 7d (got '"
                    + ConfigException.oneLine(value) + "')");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    static String describe(RegistrationToken token) {
        String uses = token.usesAllowed().map(n -> n == 1 ? "1 use" : n + " uses").orElse("unlimited uses");
        return uses + ", " + token.expiryTime().map(ms -> "expires " + instant(ms)).orElse("no expiry");
    }

    /** Why a token no longer works, or "valid". */
    static String state(RegistrationToken t, Instant now) {
        if (t.expiryTime().filter(ms -> ms <= now.toEpochMilli()).isPresent()) {
            return "expired";
        }
        if (t.usesAllowed().filter(n -> t.pending() + t.completed() >= n).isPresent()) {
            return "used up";
        }
        return "valid";
    }

    /** Said where tokens do nothing yet: sign-up uses them only in registration.mode token. */
    static String modeNote(InstallConfig config) {
        return config.registration() == RegistrationMode.TOKEN ? ""
                : "; note: registration.mode is " + config.registration() + ", so sign-up takes no token until"
                        + " `matrix-install up --set registration.mode=token`";
    }

    static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> asMap(RegistrationToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", t.token());
        m.put("uses_allowed", t.usesAllowed().orElse(null));
        m.put("pending", t.pending());
        m.put("completed", t.completed());
        m.put("expiry_time", t.expiryTime().orElse(null));
        return m;
    }
}
