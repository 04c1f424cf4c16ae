package io.matrixinstall.ops.checks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.config.InstallConfig;

/** The client API answers through the proxy on the HTTPS port, as a client sees it. */
final class ClientApiProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        String skip = context.noPublicTls();
        if (skip != null) {
            return CheckResult.skip(check, skip);
        }
        InstallConfig config = context.config();
        PublicEndpoint.Response response = context.endpoint().get(config.domain(), config.ports().https(),
                "/_matrix/client/versions");
        if (response.status() != 200) {
            return CheckResult.fail(check, "/_matrix/client/versions answers " + response.status());
        }
        try {
            var versions = new ObjectMapper().readTree(response.body()).path("versions");
            return versions.isArray() && versions.size() > 0
                    ? CheckResult.ok(check, "client API answers on https://" + config.domain() + ":" + config.ports().https()
                            + " (" + versions.get(versions.size() - 1).asText() + ")")
                    : CheckResult.fail(check, "/_matrix/client/versions lists no versions");
        } catch (java.io.IOException e) {
            return CheckResult.fail(check, "/_matrix/client/versions is not JSON");
        }
    }
}
