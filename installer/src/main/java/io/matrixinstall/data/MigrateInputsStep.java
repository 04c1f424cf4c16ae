package io.matrixinstall.data;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import io.matrixinstall.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Before `migrate` changes anything: the dump is a PostgreSQL custom-format archive (an SQLite database gets the
 * way to port it), the signing key is in Synapse's format, the macaroon secret is one line, the media directory
 * exists. One line and exit 2 otherwise.
 */
public final class MigrateInputsStep implements Step {
    static final String SQLITE_MAGIC = "SQLite format 3";
    static final String PG_CUSTOM_MAGIC = "PGDMP";
    /** Synapse's key file: one "ed25519 KEY_ID BASE64_SEED" line per key. */
    private static final Pattern KEY_LINE = Pattern.compile("ed25519 [A-Za-z0-9_]+ [A-Za-z0-9+/]{43}=?");
    private final Path dump;
    private final Path signingKey;
    private final String macaroonSecret;
    private final Optional<Path> media;
    private String key;

    public MigrateInputsStep(Path dump, Path signingKey, String macaroonSecret, Optional<Path> media) {
        this.dump = dump;
        this.signingKey = signingKey;
        this.macaroonSecret = macaroonSecret;
        this.media = media;
    }

    @Override
    public String name() {
        return "migration inputs";
    }

    /** The old server's signing key file, as read (after this step ran). */
    public String signingKey() {
        return key;
    }

    @Override
    public void run(PlanContext context) {
        Host host = context.host();
        Optional<FileState> state = host.stat(dump);
        if (state.isEmpty() || state.get().directory()) {
            throw new PreconditionException("--from-dump: " + dump + " is not a file on " + host.name());
        }
        ExecResult head = host.exec(Commands.fileHead(dump, 16));
        String magic = head.ok() ? head.stdout() : "";
        if (magic.startsWith(SQLITE_MAGIC)) {
            throw new PreconditionException("--from-dump: " + dump + " is an SQLite database; port it to PostgreSQL first with"
                    + " Synapse's synapse_port_db (https://element-hq.github.io/synapse/latest/postgres.html), then dump that"
                    + " with pg_dump -Fc -O");
        }
        if (!magic.startsWith(PG_CUSTOM_MAGIC)) {
            throw new PreconditionException("--from-dump: " + dump + " is not a pg_dump custom-format archive; make one with"
                    + " pg_dump -Fc -O -U USER -d DATABASE -f synapse.dump");
        }
        key = host.read(signingKey).map(b -> new String(b, StandardCharsets.UTF_8))
                .orElseThrow(() -> new PreconditionException("--signing-key: " + signingKey + " does not exist on " + host.name()));
        if (key.isBlank() || !key.strip().lines().allMatch(l -> KEY_LINE.matcher(l.strip()).matches())) {
            throw new PreconditionException("--signing-key: " + signingKey + " is not a Synapse signing key (one line"
                    + " 'ed25519 KEY_ID BASE64' per key; the file signing_key_path names in the old homeserver.yaml)");
        }
        // It is written into homeserver.yaml and kept as a secret file, so it must pass the check every secret read
        // back from disk passes.
        if (macaroonSecret == null || !Secret.MACAROON_SECRET_KEY.accepts(macaroonSecret.strip())) {
            throw new PreconditionException("--macaroon-secret: must be the old homeserver.yaml's macaroon_secret_key, one"
                    + " line of " + Secret.MACAROON_SECRET_KEY.alphabet());
        }
        if (media.isPresent() && host.stat(media.get()).filter(FileState::directory).isEmpty()) {
            throw new PreconditionException("--media: " + media.get() + " is not a directory on " + host.name());
        }
    }
}
