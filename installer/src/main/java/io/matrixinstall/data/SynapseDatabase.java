package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Optional;

/**
 * Dump and restore of the Synapse database, shared by `backup`, `restore`, `migrate`, the update's rollback and the
 * PostgreSQL upgrade. Everything runs inside the db container through the Host (docker exec), and dumps stream
 * between the container and a file on the host: never through the agent's memory.
 *
 * <p>A restore never touches the live database until the dump has loaded: it goes into a fresh database
 * ({@value #INCOMING}, UTF8 with C collation as Synapse requires), and only then, with Synapse stopped, replaces
 * {@value #NAME} by a rename. A dump that fails half-way leaves the server as it was.
 */
public final class SynapseDatabase {
    public static final String NAME = "synapse";
    public static final String INCOMING = "synapse_incoming";
    /** Seed 002: one-time keys must never be handed out twice, so their rows are never restored. */
    public static final String ONE_TIME_KEYS = "e2e_one_time_keys_json";
    /** The role that loads dumps from outside: no superuser, owner of nothing but the database it loads into. */
    static final String LOADER = "synapse_import";

    private final PlanContext context;
    private final String dbContainer;

    private SynapseDatabase(PlanContext context, String dbContainer) {
        this.context = context;
        this.dbContainer = dbContainer;
    }

    /** The database of the running db container; fails naming {@code purpose} when it does not run. */
    public static SynapseDatabase running(PlanContext context, String purpose) {
        ServiceContainer db = container(context, "db")
                .filter(ServiceContainer::running)
                .orElseThrow(() -> new StepFailedException("cannot " + purpose + ": the db container is not running"));
        return new SynapseDatabase(context, db.id());
    }

    /** The database in another PostgreSQL container (e.g. a new major version started beside the old one). */
    public static SynapseDatabase inContainer(PlanContext context, String containerId) {
        return new SynapseDatabase(context, containerId);
    }

    static Optional<ServiceContainer> container(PlanContext context, String service) {
        return context.docker().projectContainers(context.config().projects().matrix()).stream()
                .filter(c -> c.service().equals(service)).findFirst();
    }

    /**
     * {@code pg_dump -Fc} of the live database, streamed into {@code file} on the host (created root 0600 before
     * the first byte), without the rows of {@value #ONE_TIME_KEYS} (its definition stays). pg_dump reads one
     * snapshot, so the dump is consistent while Synapse keeps running. A failed dump leaves no file.
     */
    public void dump(Path file) {
        Command command = Commands.pgDump(dbContainer);
        Host host = context.host();
        for (int attempt = 1; ; attempt++) {
            ExecResult result;
            try (TransferMeter meter = TransferMeter.watch(context, file, "database dump")) {
                result = host.execToFile(command, file, Ownership.ROOT, 0600);
            }
            if (result.ok()) {
                return;
            }
            host.remove(file);
            if (attempt == DUMP_ATTEMPTS || !TABLE_DROPPED_MID_DUMP.matcher(result.stderr()).find()) {
                result.requireOk(command);
            }
            context.progress("a table went away while pg_dump listed it (Synapse drops its _temp_ tables when a"
                    + " background update ends); dumping again");
        }
    }

    private static final int DUMP_ATTEMPTS = 3;
    /**
     * pg_dump lists the tables, then locks each: one Synapse drops in between (its background updates' {@code _temp_}
     * tables) fails the dump. Another run sees the catalog without it.
     */
    private static final Pattern TABLE_DROPPED_MID_DUMP = Pattern.compile(
            "relation (with OID \\d+|\"[^\"]+\") does not exist|could not open relation with OID|cache lookup failed for relation");

    /**
     * Loads a dump from outside (a backup set, an old server's pg_dump) into a fresh {@value #INCOMING} database and
     * empties {@value #ONE_TIME_KEYS} there. Such a dump is code as much as data: its entries are SQL that pg_restore
     * runs, and the official image's POSTGRES_USER ("synapse", what Synapse and the agent log in as) is a superuser,
     * able to run programs in the db container ({@code COPY ... PROGRAM}), load untrusted languages or rewrite the
     * server's configuration. So: the archive's table of contents must list only Synapse's schema and data
     * ({@link SynapseSchema}); it is loaded by {@value #LOADER}, a login role that is no superuser and owns only the
     * fresh database; the loaded catalog must hold nothing but Synapse's schema (else what Synapse runs as the
     * superuser later, a trigger function say, would be the dump's); only then does everything go to "synapse" (so
     * the database is as a fresh install's) and the role is dropped. A refusal or a failed load drops the loaded
     * copy; the live database is untouched.
     */
    public void load(Path dump) {
        List<String> foreign = SynapseSchema.foreignEntries(run(Commands.pgRestoreList(dbContainer, dump)).stdout());
        if (!foreign.isEmpty()) {
            throw new StepFailedException(refusal(dump, "lists what is not Synapse's schema or data", foreign));
        }
        run(Commands.dropDatabase(dbContainer, INCOMING));
        run(Commands.recreateUnprivilegedRole(dbContainer, LOADER));
        try {
            run(Commands.createSynapseStyleDatabase(dbContainer, INCOMING, LOADER));
            ExecResult loaded;
            try (TransferMeter meter = TransferMeter.reading(context, dump, "database restore")) {
                loaded = context.host().exec(Commands.pgRestoreFromHostFileAs(dbContainer, LOADER, INCOMING, dump));
            }
            if (!loaded.ok()) {
                String error = loaded.stderr().lines().filter(l -> l.contains("ERROR:")).findFirst()
                        .orElse(loaded.stderr().strip().lines().findFirst().orElse("exit " + loaded.exitCode()));
                throw new StepFailedException(dump + " did not load (pg_restore as a role that is no superuser): "
                        + error.strip() + "; the live database was not touched");
            }
            List<String> problems = run(Commands.sqlAs(dbContainer, LOADER, INCOMING, SynapseSchema.catalogCheck()))
                    .stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (!problems.isEmpty()) {
                throw new StepFailedException(refusal(dump, "holds what is not Synapse's schema", problems));
            }
            run(Commands.sqlAs(dbContainer, LOADER, INCOMING, "TRUNCATE " + ONE_TIME_KEYS));
            run(Commands.handOverAndDropRole(dbContainer, INCOMING, LOADER));
        } catch (RuntimeException e) {
            discardIncoming();
            throw e;
        }
    }

    /**
     * Loads one of the agent's own dumps (the update's, taken from the live database minutes before into a root-only
     * directory) as the superuser, as that database was: it holds what Synapse already runs, so the checks of
     * {@link #load} could add nothing but a refusal in the middle of a rollback (a function of a Synapse release newer
     * than {@link SynapseSchema} knows, say).
     */
    public void loadOwnDump(Path dump) {
        run(Commands.dropDatabase(dbContainer, INCOMING));
        run(Commands.createSynapseStyleDatabase(dbContainer, INCOMING));
        try (TransferMeter meter = TransferMeter.reading(context, dump, "database restore")) {
            run(Commands.pgRestoreFromHostFile(dbContainer, INCOMING, dump));
        } catch (RuntimeException e) {
            discardIncoming();
            throw e;
        }
        run(Commands.sql(dbContainer, INCOMING, "TRUNCATE " + ONE_TIME_KEYS));
    }

    private static String refusal(Path dump, String what, List<String> found) {
        return dump + " " + what + ": " + String.join("; ", found.subList(0, Math.min(3, found.size())))
                + (found.size() > 3 ? " and " + (found.size() - 3) + " more" : "") + "; refused, the live database was not touched";
    }

    /** The server name of the loaded users ({@code @name:server}), or empty when the dump has none. */
    public Optional<String> incomingServerName() {
        String first = run(Commands.sql(dbContainer, INCOMING, "SELECT name FROM users ORDER BY creation_ts NULLS LAST LIMIT 1"))
                .stdout().strip();
        int colon = first.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(first.substring(colon + 1));
    }

    /**
     * With Synapse stopped (the caller's job: it holds connections), the loaded database replaces the live one.
     * The old one is dropped first; the rename is instant whatever the size.
     */
    public void replaceWithIncoming() {
        run(Commands.dropDatabase(dbContainer, NAME));
        run(Commands.renameDatabase(dbContainer, INCOMING, NAME));
    }

    /** Drops the loaded copy and the loading role, whatever state a failed load left them in. */
    public void discardIncoming() {
        context.host().exec(Commands.dropDatabase(dbContainer, INCOMING));
        context.host().exec(Commands.dropRole(dbContainer, LOADER));
    }

    /** "15.10 (Debian 15.10-0+deb12u1)" and the like: what the server reports. */
    public String serverVersion() {
        return run(Commands.sql(dbContainer, "postgres", "SHOW server_version")).stdout().strip();
    }

    /** Rows of a table in the live database (for checks and reports). */
    public long rows(String table) {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        return Long.parseLong(run(Commands.sql(dbContainer, NAME, "SELECT count(*) FROM " + table)).stdout().strip());
    }

    private ExecResult run(Command command) {
        return context.host().exec(command).requireOk(command);
    }
}
