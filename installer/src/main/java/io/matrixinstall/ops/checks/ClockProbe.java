package io.matrixinstall.ops.checks;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.HostException;

/**
 * The host clock is NTP-synchronised, as systemd's timedated reports it (federation signatures carry
 * timestamps; certificates have validity windows). Without systemd there is nothing honest to ask locally: a
 * warning says the check could not be made, rather than comparing the clock with itself.
 */
final class ClockProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        ExecResult result;
        try {
            result = context.host().exec(Commands.clockSynchronized());
        } catch (HostException e) {
            return CheckResult.warn(check, "cannot tell: timedatectl is not installed");
        }
        String answer = result.stdout().strip();
        if (result.ok() && answer.equals("yes")) {
            return CheckResult.ok(check, "the clock is NTP-synchronised");
        }
        if (result.ok() && answer.equals("no")) {
            return CheckResult.fail(check, "the clock is not NTP-synchronised");
        }
        return CheckResult.warn(check, "cannot tell: timedatectl does not answer ("
                + (result.stderr().strip() + " " + answer).strip().lines().findFirst().orElse("no output") + ")");
    }
}
