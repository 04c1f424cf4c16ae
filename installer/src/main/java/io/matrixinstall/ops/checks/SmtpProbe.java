package io.matrixinstall.ops.checks;

import io.matrixinstall.config.MailSettings;
import io.matrixinstall.config.MailSettings.Mail;
import java.io.IOException;
import java.util.Optional;

/**
 * mail.*: the SMTP server answers, as seen from the server's machine (reached through the Host, so a remote
 * run asks from the target, as Synapse will), with the TLS mail.tls asks for, and accepts the login. It sends
 * nothing.
 */
final class SmtpProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        Optional<Mail> configured = MailSettings.of(context.config());
        if (configured.isEmpty()) {
            return CheckResult.skip(check, "e-mail is off (mail.smtp_host is not set)");
        }
        Mail mail = configured.get();
        String where = mail.host() + ":" + mail.port();
        try (SmtpSession session = SmtpSession.open(context.host().reach(mail.host(), mail.port()), mail.host(), mail.tls())) {
            if (!mail.login()) {
                return CheckResult.ok(check, where + " answers (" + mail.tls() + "; no login configured)");
            }
            String refused = session.login(mail.user(), mail.password());
            return refused == null ? CheckResult.ok(check, where + " accepts the login of " + mail.user() + " (" + mail.tls() + ")")
                    : CheckResult.fail(check, where + " refuses the login of " + mail.user() + ": " + refused);
        } catch (SmtpSession.SmtpException e) {
            return CheckResult.fail(check, where + ": " + e.getMessage());
        } catch (IOException e) {
            return CheckResult.fail(check, where + " does not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
