package io.matrixinstall.config;

import java.util.Map;
import java.util.Set;

/**
 * {@code registration.mode}: who may create an account on the server. Rendered into homeserver.yaml
 * (templates/matrix/homeserver.yaml.ftl); docs/registration.md says why {@code open} needs e-mail.
 */
public enum RegistrationMode {
    /** Only the admin creates accounts (`user add`): Synapse's {@code enable_registration: false}, as before. */
    CLOSED("closed"),
    /** Sign-up needs a registration token the admin handed out (`token create`). */
    TOKEN("token"),
    /** Anyone may sign up, with an e-mail address Synapse verified. */
    OPEN("open");

    /** The Synapse settings a mode other than closed renders: synapse.extra_config must then leave them alone. */
    static final Set<String> SYNAPSE_KEYS = Set.of("enable_registration", "registration_requires_token",
            "registrations_require_3pid", "enable_registration_without_verification", "enable_registration_captcha");

    private final String key;

    RegistrationMode(String key) {
        this.key = key;
    }

    /** The mode of {@code values}, checked against the e-mail settings and the operator's own Synapse settings. */
    static RegistrationMode read(Map<String, String> values, InstallConfig.SynapseExtra extra) {
        String name = ConfigKey.REGISTRATION_MODE.key();
        RegistrationMode mode = Rules.choice(name, ConfigLoader.value(values, ConfigKey.REGISTRATION_MODE), RegistrationMode.class);
        if (mode == OPEN && values.getOrDefault(ConfigKey.MAIL_SMTP_HOST.key(), "").isBlank()) {
            // An open server nobody verifies is signed up by spam bots within days.
            throw new ConfigException(name, "open needs e-mail verification: set " + ConfigKey.MAIL_SMTP_HOST.key()
                    + " (an unverified open server is a spam target), or use registration.mode token");
        }
        if (mode != CLOSED) {
            extra.keys().stream().filter(SYNAPSE_KEYS::contains).sorted().findFirst().ifPresent(key -> {
                throw new ConfigException(ConfigKey.SYNAPSE_EXTRA.key(), "sets '" + key + "', which registration.mode "
                        + mode + " manages; remove it there");
            });
        }
        return mode;
    }

    @Override
    public String toString() {
        return key;
    }
}
