package io.matrixinstall.data;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
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
        ExecResult result;
        try (TransferMeter meter = TransferMeter.watch(context, file, "database dump")) {
            result = host.execToFile(command, file, Ownership.ROOT, 0600);
        }
        if (!result.ok()) {
            host.remove(file);
            result.requireOk(command);
        }
    }

    /**
     * Loads a custom-format dump lying on the host into a fresh {@value #INCOMING} database and empties
     * {@value #ONE_TIME_KEYS} there (a foreign dump may hold its rows). The live database is untouched.
     */
    public void load(Path dump) {
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

    public void discardIncoming() {
        context.host().exec(Commands.dropDatabase(dbContainer, INCOMING));
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
