package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.users.SynapseApi.RegistrationToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token commands refuse bad input in one line, exit 2, before reaching the server; what they print. */
class TokenCliTest {
    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine commandLine = MatrixInstall.commandLine(args);
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), err.toString());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        Run uses = run("token", "create", "--uses", "0");
        assertEquals(2, uses.exit(), uses.err());
        assertEquals("matrix-install: --uses: must be 1 or more (got 0)\n", uses.err());
        Run expires = run("token", "create", "--expires", "7 days");
        assertEquals(2, expires.exit(), expires.err());
        assertEquals("matrix-install: --expires: expected a number and m, h, d or w, e.g. 7d (got '7 days')\n", expires.err());
        Run revoke = run("token", "revoke", "../../v1/users");
        assertEquals(2, revoke.exit(), revoke.err());
        assertEquals("matrix-install: TOKEN: a registration token is 1-64 characters of A-Z a-z 0-9 . _ ~ - (got"
                + " '../../v1/users')\n", revoke.err());
        assertEquals(2, run("token", "create", "--uses", "many").exit());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(30), TokenCommand.duration("30m"));
        assertEquals(Duration.ofHours(12), TokenCommand.duration("12h"));
        assertEquals(Duration.ofDays(7), TokenCommand.duration("7d"));
        assertEquals(Duration.ofDays(14), TokenCommand.duration("2w"));
    }

    @Test
    void aTokenSaysWhatItAllowsAndWhetherItStillWorks() {
        Instant now = Instant.parse("2026-12-06T21:00:00Z");
        RegistrationToken once = new RegistrationToken("abc", Optional.of(1), 0, 0,
                Optional.of(Instant.parse("2026-12-13T21:00:00.123Z").toEpochMilli()));
        assertEquals("1 use, expires 2026-12-13T21:00:00Z", TokenCommand.describe(once));
        assertEquals("valid", TokenCommand.state(once, now));
        assertEquals("used up", TokenCommand.state(new RegistrationToken("abc", Optional.of(1), 1, 0, Optional.empty()), now));
        assertEquals("expired", TokenCommand.state(once, Instant.parse("2026-12-14T00:00:00Z")));
        RegistrationToken open = new RegistrationToken("abc", Optional.empty(), 0, 5, Optional.empty());
        assertEquals("unlimited uses, no expiry", TokenCommand.describe(open));
        assertEquals("valid", TokenCommand.state(open, now));
    }
}
