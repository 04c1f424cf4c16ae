package io.matrixinstall.db;

import io.matrixinstall.command.Commands;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.Containers;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.HostException;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.StepFailedException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PgJDBC connection to the install's Synapse database as user {@code synapse}: to the db container's address
 * on its compose network, reached through {@link Host#reach} (the same address on this host, an SSH forward
 * from elsewhere). PostgreSQL is never published on the host. The password is the generated secret file's.
 */
public final class PostgresConnection {
    public static final int PORT = 5432;
    public static final String DATABASE = "synapse";
    public static final String USER = "synapse";

    private PostgresConnection() {}

    /** Opens the connection (read-only when {@code readOnly}); the caller closes it. */
    public static Connection open(Host host, InstallConfig config, boolean readOnly) {
        InetSocketAddress address = host.reach(containerAddress(host, config), PORT);
        String password = host.read(new Layout(config).postgresPasswordFile())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip())
                .orElseThrow(() -> new StepFailedException("the database password " + new Layout(config).postgresPasswordFile()
                        + " is missing"));
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "matrix-install");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "300");
        if (readOnly) {
            properties.setProperty("readOnly", "true");
        }
        String hostPart = address.getHostString().contains(":") ? "[" + address.getHostString() + "]" : address.getHostString();
        try {
            // The driver itself, not DriverManager: a fat jar's merged service files are not needed then.
            return new org.postgresql.Driver().connect("jdbc:postgresql://" + hostPart + ":" + address.getPort() + "/"
                    + DATABASE, properties);
        } catch (SQLException e) {
            throw new HostException("cannot connect to PostgreSQL of " + config.projects().matrix() + " at "
                    + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The running db container's address on its first network. */
    static String containerAddress(Host host, InstallConfig config) {
        ServiceContainer db = Containers.now(host, config.projects().matrix()).stream()
                .filter(c -> c.service().equals("db")).findFirst()
                .orElseThrow(() -> new StepFailedException("the db service has no container (project "
                        + config.projects().matrix() + "): run `matrix-install up`"));
        if (!db.running()) {
            throw new StepFailedException("the db container is not running: run `matrix-install start`");
        }
        ExecResult addresses = host.exec(Commands.containerAddresses(db.id()));
        if (!addresses.ok()) {
            throw new HostException("cannot read the db container's address: " + addresses.stderr().strip());
        }
        return addresses.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).findFirst()
                .orElseThrow(() -> new StepFailedException("the db container has no network address"));
    }
}
