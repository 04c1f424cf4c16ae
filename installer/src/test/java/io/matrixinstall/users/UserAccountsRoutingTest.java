package io.matrixinstall.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.Commands;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.ForwardedServer;
import io.matrixinstall.host.RecordingHost;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.secrets.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user commands send their secrets only to the synapse container's own address, as the host reaches it (an
 * SSH forward on a remote host): never to ports.synapse on the host's loopback, which anyone may bind while
 * Synapse is stopped. The recording host stands for a machine elsewhere; its one forward leads from the
 * container's address to a server of the test playing Synapse.
 */
class UserAccountsRoutingTest {
    private static final int FORWARDED = 21303;
    private static final String PROJECT = "matrix";
    private static final String CONTAINER = "0123abcd";
    private static final String ADDRESS = "172.30.0.3";
    private final InstallConfig config = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
            "email", "admin@example.org", "ports.synapse", "21302", "compose.matrix_project", PROJECT));
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ForwardedServer synapse;

    @BeforeEach
    void synapseBehindTheForward() throws IOException {
        synapse = ForwardedServer.start(FORWARDED, Optional.empty(), exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            return (exchange.getRequestMethod().equals("GET") ? "{\"nonce\":\"n1\"}"
                    : "{\"user_id\":\"@alice:matrix.example.org\",\"access_token\":\"t\"}").getBytes(StandardCharsets.UTF_8);
        });
    }

    @AfterEach
    void stop() {
        synapse.close();
    }

    private RecordingHost host(boolean running) {
        RecordingHost host = new RecordingHost()
                .answer(Commands.projectContainers(List.of(PROJECT)).argv(), 0, "[{\"Id\": \"" + CONTAINER + "\", \"Config\": {\"Labels\":"
                        + " {\"com.docker.compose.service\": \"synapse\", \"com.docker.compose.project\": \"" + PROJECT + "\"}}, \"State\": {\"Running\": " + running + "}}]")
                .answer(Commands.containerAddresses(CONTAINER).argv(), 0, ADDRESS + "\n")
                .forward(ADDRESS, SynapseApi.CONTAINER_PORT, new InetSocketAddress("127.0.0.1", FORWARDED));
        host.written.put(new Layout(config).secretsDir().resolve(Secret.REGISTRATION_SHARED_SECRET.fileName()),
                "shared".getBytes(StandardCharsets.UTF_8));
        return host;
    }

    @Test
    void registrationGoesToTheContainersAddressOnly() {
        RecordingHost host = host(true);
        assertTrue(new UserAccounts(host, config, ChangeGate.applying(line -> { }))
                .add(Localpart.of("alice", "matrix.example.org"), "pass phrase", false));
        assertEquals(List.of(ADDRESS + ":8008"), host.reached);
        assertEquals(2, requests.size(), requests.toString());
        assertTrue(requests.get(1).startsWith("POST /_synapse/admin/v1/register {"), requests.toString());
    }

    @Test
    void aStoppedSynapseIsReachedNowhere() {
        RecordingHost host = host(false);
        HostException e = assertThrows(HostException.class, () -> new UserAccounts(host, config, ChangeGate.applying(line -> { })));
        assertEquals("the synapse container is not running: run `matrix-install start`", e.getMessage());
        assertEquals(List.of(), host.reached);
        assertEquals(List.of(), requests);
    }
}
