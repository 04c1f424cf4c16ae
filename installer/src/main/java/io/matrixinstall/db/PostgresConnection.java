package io.matrixinstall.db;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.ServiceEndpoint;
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
 * on its compose network ({@link ServiceEndpoint}: the same address on this host, an SSH forward from elsewhere).
 * PostgreSQL is never published on the host. The password is the generated secret file's.
 */
public final class PostgresConnection {
    public static final int PORT = 5432;
    public static final String DATABASE = "synapse";
    public static final String USER = "synapse";

    private PostgresConnection() {}

    /** Opens the connection (read-only when {@code readOnly}); the caller closes it. */
    public static Connection open(Host host, InstallConfig config, boolean readOnly) {
        InetSocketAddress address = ServiceEndpoint.reach(host, config.projects().matrix(), "db", PORT);
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
}
