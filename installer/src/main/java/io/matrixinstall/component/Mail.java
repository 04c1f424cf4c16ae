package io.matrixinstall.component;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.config.MailSettings;
import java.util.List;
import java.util.Map;

/**
 * E-mail (mail.*): Synapse's {@code email:} section in homeserver.yaml (password reset, address verification,
 * notifications). It owns no file of its own: Synapse has no password-file setting for SMTP, so the password is
 * only in homeserver.yaml (991:991 0600), and switching it off re-renders that file without the section. `doctor`
 * checks the login (healthchecks/92-smtp.yaml).
 */
final class Mail implements Component {
    @Override
    public String name() {
        return "e-mail";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return MailSettings.of(config).isPresent();
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return "mail.smtp_host is not set";
    }

    @Override
    public Map<String, Object> templateValues(InstallConfig config) {
        MailSettings.Mail mail = MailSettings.of(config).orElseThrow();
        return Map.of("mail", Map.of("host", mail.host(), "port", mail.port(), "user", mail.user(),
                "password", mail.password(), "from", mail.from(), "tls", mail.tls().toString()));
    }

    @Override
    public List<String> statusLines(StatusSource source) {
        return MailSettings.of(source.config()).map(mail -> List.of("e-mail: through " + mail.host() + ":" + mail.port()
                + " (" + mail.tls() + (mail.login() ? ", login " + mail.user() : "") + "), from " + mail.from()))
                .orElse(List.of());
    }
}
