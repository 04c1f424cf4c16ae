package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.db.PostgresUpgrade;
import io.matrixinstall.db.PostgresVersionFile;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.steps.LocateDockerStep;
import io.matrixinstall.steps.SecretsStep;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.secrets.SecretGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "db", description = "Work with the database.", subcommands = DbCommand.Upgrade.class)
final class DbCommand {

    @Command(name = "upgrade", description = "Move the database to a newer PostgreSQL major (--to 17): Synapse stops, a backup is"
            + " dumped, the new major starts on a new volume, the dump is restored and every table's row count compared, then"
            + " the stack runs on the new major. The old volume stays until --prune-old; --undo goes back to it.")
    static final class Upgrade implements Callable<Integer> {
        // The recorded configuration only: the upgrade records it again with the new major, so other settings given
        // here would be recorded without being applied.
        @Mixin
        ChangeOptions.Recorded changeOptions;

        @Spec
        CommandSpec spec;

        static final class Action {
            @Option(names = "--to", paramLabel = "MAJOR", description = "The PostgreSQL major to move to: 16 or 17.")
            String to;

            @Option(names = "--undo", description = "Go back to the previous major's kept volume (what was written since is lost).")
            boolean undo;

            @Option(names = "--prune-old", description = "Remove the previous major's kept volume (no undo after this).")
            boolean pruneOld;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Action action;

        @Option(names = "--image", paramLabel = "IMAGE", description = "The new major's image (default postgres:<MAJOR>-alpine,"
                + " or images.postgres when that is set).")
        String image;

        @Option(names = "--dry-run", description = "List what would change and change nothing.")
        boolean dryRun;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
                description = "How long PostgreSQL and Synapse have to become healthy (default 300).")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            return changeOptions.run(spec, this::upgrade);
        }

        private int upgrade(RunFrame frame) {
            InstallConfig config = changeOptions.load(frame.host());
            RunFrame.Change change = frame.change("db upgrade", changeOptions.lock(), changeOptions.stateDir()).dryRun(dryRun)
                    .options(new RunOptions(RunOptions.PullPolicy.MISSING, RunOptions.DockerSource.DOCKER,
                            Duration.ofSeconds(timeoutSeconds), false));
            return change.run(config, current -> {
                Host host = current.host();
                if (host.stat(current.layout().composeFile()).isEmpty()) {
                    throw new PreconditionException("nothing installed at " + config.baseDir() + " (no "
                            + current.layout().composeFile() + "): run `matrix-install up` first");
                }
                Optional<PostgresVersionFile> recorded = PostgresVersionFile.read(host, current.layout());
                PlanContext target;
                if (action.to != null) {
                    if (!InstallConfig.POSTGRES_VERSIONS.contains(action.to.strip())) {
                        throw new ConfigException("--to", "must be one of " + String.join(", ", InstallConfig.POSTGRES_VERSIONS)
                                + " (got '" + action.to + "')");
                    }
                    target = change.context(withVersion(config, Integer.parseInt(action.to.strip()), image));
                } else if (action.undo) {
                    PostgresVersionFile file = recorded.filter(r -> r.previous().isPresent()).orElseThrow(() -> new PreconditionException(
                            "nothing to undo: no `db upgrade` kept a previous major here (" + current.layout().postgresVersionFile() + ")"));
                    target = change.context(withVersion(config, file.previous().getAsInt(), image));
                } else {
                    target = current;
                }
                // Both majors' contexts use the Compose and secrets found on the current one.
                LocateDockerStep docker = new LocateDockerStep();
                SecretsStep secrets = new SecretsStep(new SecretGenerator());
                docker.run(current);
                secrets.run(current);
                PostgresUpgrade upgrade = new PostgresUpgrade(current, target, new TemplateRenderer(), changeOptions.stateDir(),
                        docker.compose(), secrets.secrets());
                if (action.to != null) {
                    upgrade.upgrade();
                } else if (action.undo) {
                    upgrade.undo(recorded.orElseThrow());
                } else if (recorded.isPresent()) {
                    upgrade.pruneOld(recorded.get());
                }
                Outcome outcome = Outcome.of(current);
                return outcome.then(outcome.changes() > 0 && !dryRun ? upgrade.report() : List.of());
            });
        }

        /** The same install on another major; its image is the official one of that major unless named. */
        private static InstallConfig withVersion(InstallConfig config, int version, String image) {
            Map<String, String> settings = new TreeMap<>(config.settings());
            settings.put("postgres.version", String.valueOf(version));
            if (image == null && version < config.postgresVersion()) {
                settings.remove("images.postgres"); // --undo: a configured image is the newer major's
            } else if (image != null) {
                settings.put("images.postgres", image);
            }
            return ConfigLoader.load(settings, Optional.empty(), Map.of());
        }
    }
}
