package io.matrixinstall.steps;

import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import io.matrixinstall.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before anything changes: a secret file that is there must hold what a generated secret can ({@link SecretFiles}).
 * A secret whose file is missing or empty is only generated anew on a host
 * that has never used it. Once the database is initialised or Synapse's configuration exists, a new
 * database password locks Synapse out of its data and a new signing key changes the server's identity,
 * so the run stops with the file to restore instead of silently replacing it.
 */
public final class SecretsGuard implements Step {

    @Override
    public String name() {
        return "secrets in use";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        Layout layout = context.layout();
        wants.ask(Commands.volumeInspect(layout.databaseVolume()));
        wants.file(SecretsStep.files(layout));
        wants.file(layout.homeserverConfig());
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        Layout layout = context.layout();
        List<Secret> secrets = Components.secrets(context.config());
        // All of them in one round trip on a remote host; a secret that is there must look like a generated one.
        Map<Path, Optional<byte[]>> contents = host.readAll(SecretsStep.files(layout));
        for (Secret secret : secrets) {
            Path file = layout.secretsDir().resolve(secret.fileName());
            SecretFiles.value(file, secret, contents.get(file));
        }
        boolean databaseExists = context.docker().volumeExists(layout.databaseVolume());
        boolean configured = host.stat(layout.homeserverConfig()).isPresent();
        if (!databaseExists && !configured) {
            return; // a fresh host: the secrets step generates them
        }
        String inUse = databaseExists ? "the database volume " + layout.databaseVolume() + " is initialised"
                : layout.homeserverConfig() + " exists";
        for (Secret secret : secrets.stream().filter(s -> !s.optional()).toList()) {
            Path file = layout.secretsDir().resolve(secret.fileName());
            if (blank(contents.get(file))) {
                throw new PreconditionException(file + " is missing or empty, but " + inUse
                        + "; a new value would not match the one in use. Restore the file from a backup (homeserver.yaml"
                        + " also holds the value" + (secret == Secret.POSTGRES_PASSWORD ? ", as database.args.password" : "")
                        + ") and run up again; nothing was changed");
            }
        }
        if (databaseExists && blank(contents.get(layout.signingKey()))) {
            throw new PreconditionException(layout.signingKey() + " is missing or empty, but " + inUse
                    + "; it is this server's identity and other servers reject a new one for the same name."
                    + " Restore it from a backup and run up again; nothing was changed");
        }
    }

    private static boolean blank(Optional<byte[]> content) {
        return content.isEmpty() || new String(content.get(), StandardCharsets.UTF_8).isBlank();
    }
}
