package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.data.DataPlans;
import io.matrixinstall.data.MigrateInputsStep;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", description = "Bring an existing self-hosted Synapse with the same server name in (seed 002,"
        + " \"Migrating from Self-Hosted\"): its pg_dump -Fc, signing key, macaroon secret and media. Runs `up` with its key"
        + " and secret in place, loads the dump into a fresh UTF8/C database (without one-time keys) and swaps it in, copies"
        + " the media, and starts Synapse until healthy. Stop the old server first and never start it again.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Install changeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--from-dump", paramLabel = "FILE", required = true,
            description = "The old database as made by pg_dump -Fc -O (an SQLite database must be ported first).")
    Path dump;

    @Option(names = "--signing-key", paramLabel = "FILE", required = true,
            description = "The old server's signing key (signing_key_path in its homeserver.yaml).")
    Path signingKey;

    @Option(names = "--macaroon-secret", paramLabel = "SECRET",
            description = "macaroon_secret_key of the old homeserver.yaml (visible to other users in the process list:"
                    + " prefer --macaroon-secret-file).")
    String macaroonSecret;

    @Option(names = "--macaroon-secret-file", paramLabel = "FILE", description = "A file holding macaroon_secret_key.")
    Path macaroonSecretFile;

    @Option(names = "--media", paramLabel = "DIR", description = "The old media store (media_store_path), copied in.")
    Path media;

    @Option(names = "--dry-run", description = "Check the inputs and list what would change, and change nothing.")
    boolean dryRun;

    @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
            description = "Image pulls for the install: always, missing (default) or never.")
    RunOptions.PullPolicy pull;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for Synapse (which may upgrade the old schema) to become healthy (default 600).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        for (var path : Map.of("--from-dump", dump, "--signing-key", signingKey).entrySet()) {
            if (!path.getValue().isAbsolute()) {
                throw new ConfigException(path.getKey(), "must be an absolute path (got '" + path.getValue() + "')");
            }
        }
        if (media != null && !media.isAbsolute()) {
            throw new ConfigException("--media", "must be an absolute path (got '" + media + "')");
        }
        if ((macaroonSecret == null) == (macaroonSecretFile == null)) {
            throw new ConfigException("--macaroon-secret", "give the old macaroon_secret_key with exactly one of"
                    + " --macaroon-secret or --macaroon-secret-file");
        }
        return changeOptions.run(spec, frame -> {
            Host host = frame.host();
            String secret = macaroonSecret != null ? macaroonSecret : host.read(macaroonSecretFile)
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip())
                    .orElseThrow(() -> new PreconditionException("--macaroon-secret-file: " + macaroonSecretFile + " does not exist"));
            InstallConfig config = changeOptions.load(host);
            StateDir state = changeOptions.stateDir();
            MigrateInputsStep inputs = new MigrateInputsStep(dump, signingKey, secret, Optional.ofNullable(media));
            return DataRunner.run(frame, "migrate", changeOptions.lock(), config, state,
                    DataPlans.migrate(state, inputs, dump, secret, Optional.ofNullable(media)), dryRun,
                    DataRunner.options(pull, timeoutSeconds),
                    context -> "migrated " + config.serverName() + " from " + dump + "; synapse is healthy: http://127.0.0.1:"
                            + config.ports().synapse() + "/health");
        });
    }
}
