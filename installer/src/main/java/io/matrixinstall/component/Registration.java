package io.matrixinstall.component;

import io.matrixinstall.config.InstallConfig;
import java.util.List;
import java.util.Map;

/**
 * Sign-up (registration.mode): only settings in homeserver.yaml, so it owns no file and leaves nothing when it goes
 * back to closed; the tokens live in Synapse's database (`matrix-install token …`). See docs/registration.md.
 */
final class Registration implements Component {
    @Override
    public String name() {
        return "registration";
    }

    /** Always: closed is a mode too (the template renders enable_registration: false). */
    @Override
    public boolean enabled(InstallConfig config) {
        return true;
    }

    @Override
    public Map<String, Object> templateValues(InstallConfig config) {
        return Map.of("registration_mode", config.registration().toString());
    }

    @Override
    public List<String> statusLines(StatusSource source) {
        return switch (source.config().registration()) {
            case CLOSED -> List.of();
            case TOKEN -> List.of("registration: with a token (`matrix-install token create`)");
            case OPEN -> List.of("registration: open, with a verified e-mail address");
        };
    }
}
