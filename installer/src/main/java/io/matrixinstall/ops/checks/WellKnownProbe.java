package io.matrixinstall.ops.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.config.InstallConfig;

/**
 * /.well-known/matrix/params.document (server or client) on the HTTPS port: 200, JSON, open to every origin
 * (web clients read it cross-origin), naming this domain.
 */
final class WellKnownProbe implements Probe {
    @Override
    public CheckResult run(HealthCheck check, CheckContext context) {
        String skip = context.noPublicTls();
        if (skip != null) {
            return CheckResult.skip(check, skip);
        }
        InstallConfig config = context.config();
        String document = check.param("document");
        String path = "/.well-known/matrix/" + document;
        PublicEndpoint.Response response = context.endpoint().get(config.domain(), config.ports().https(), path);
        if (response.status() != 200) {
            return CheckResult.fail(check, path + " answers " + response.status());
        }
        if (!response.header("content-type").startsWith("application/json")) {
            return CheckResult.fail(check, path + " is served as '" + response.header("content-type") + "', not application/json");
        }
        if (!response.header("access-control-allow-origin").equals("*")) {
            return CheckResult.fail(check, path + " lacks Access-Control-Allow-Origin: *");
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(response.body());
        } catch (java.io.IOException e) {
            return CheckResult.fail(check, path + " is not JSON");
        }
        String value = document.equals("server") ? json.path("m.server").asText()
                : json.path("m.homeserver").path("base_url").asText();
        boolean names = document.equals("server") ? value.startsWith(config.domain())
                : value.startsWith("https://" + config.domain());
        return names ? CheckResult.ok(check, path + ": " + value)
                : CheckResult.fail(check, path + " names '" + value + "', not " + config.domain());
    }
}
