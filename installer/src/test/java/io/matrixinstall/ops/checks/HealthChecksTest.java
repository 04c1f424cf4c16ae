package io.matrixinstall.ops.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The definitions in the top-level healthchecks/ directory load, name real probes, and each says how to fix it. */
class HealthChecksTest {

    @Test
    void everyDefinitionLoadsWithAUniqueIdAProbeAndAFix() {
        List<HealthCheck> checks = HealthChecks.load();
        Set<String> ids = new HashSet<>();
        for (HealthCheck check : checks) {
            assertTrue(ids.add(check.id()), "duplicate id " + check.id());
            assertTrue(Probes.known(check.probe()), check.probe());
            assertFalse(check.fix().isBlank(), check.id());
            assertFalse(check.title().isBlank(), check.id());
        }
        assertEquals(List.of("services", "certificate-file", "disk-free"),
                HealthChecks.forCommand("status").stream().map(HealthCheck::id).toList());
        assertEquals(List.of("services", "certificate-file", "disk-free", "dns", "tls-https", "tls-federation",
                "well-known-server", "well-known-client", "server-key", "federation", "client-api", "clock", "smtp", "ldap"),
                HealthChecks.forCommand("doctor").stream().map(HealthCheck::id).toList());
        HealthCheck federation = checks.stream().filter(c -> c.id().equals("tls-federation")).findFirst().orElseThrow();
        assertEquals("federation", federation.param("port"));
        assertEquals("14", federation.param("warn_days"));
    }

    @Test
    void aDefinitionIsReadStrictly() {
        String good = "id: x\ntitle: X\ncommands: [status]\nprobe: clock\nfix: do it\n";
        assertEquals("x", HealthChecks.parse("x.yaml", good).id());
        assertTrue(assertThrows(IllegalStateException.class, () -> HealthChecks.parse("x.yaml", good + "colour: red\n"))
                .getMessage().contains("unknown key colour"));
        assertTrue(assertThrows(IllegalStateException.class, () -> HealthChecks.parse("x.yaml", good.replace("clock", "crystal_ball")))
                .getMessage().contains("unknown probe crystal_ball"));
        assertTrue(assertThrows(IllegalStateException.class, () -> HealthChecks.parse("x.yaml", good.replace("fix: do it\n", "")))
                .getMessage().contains("fix is required"));
        assertTrue(assertThrows(IllegalStateException.class, () -> HealthChecks.parse("x.yaml", good.replace("[status]", "[up]")))
                .getMessage().contains("unknown command up"));
    }

    @Test
    void aFailedCheckCarriesItsFixAPassedOneDoesNot() {
        HealthCheck check = HealthChecks.parse("x.yaml", "id: x\ntitle: X\ncommands: [doctor]\nprobe: clock\nfix: >\n  enable\n  ntp\n");
        assertEquals("enable ntp", CheckResult.fail(check, "no").fix());
        assertEquals(null, CheckResult.ok(check, "yes").fix());
        assertEquals("warn", CheckResult.warn(check, "?").status().toString());
    }
}
