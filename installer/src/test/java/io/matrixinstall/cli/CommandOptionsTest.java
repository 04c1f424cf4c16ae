package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Each command takes only the option groups that mean something to it: the install settings only where the
 * command writes the install from them (the table in docs/operating.md, which this test keeps in step), every
 * group whole or not at all, and every flag an integration test passes to a command still accepted there.
 */
class CommandOptionsTest {

    /** The option groups, by the mixin that declares them; "install" without the state directory it nests. */
    static final Map<String, Set<String>> GROUPS = groups();

    /** command → its groups, in the order of the docs' columns. */
    static final Map<String, List<String>> EXPECTED = expected();

    private static Map<String, Set<String>> groups() {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        groups.put("host", names(new HostOptions()));
        groups.put("lock", names(new HostLockOptions()));
        groups.put("state", names(new StateOptions()));
        Set<String> install = names(new InstallOptions());
        install.removeAll(groups.get("state"));
        groups.put("install", install);
        groups.put("json", names(new JsonOption()));
        return groups;
    }

    private static Set<String> names(Object mixin) {
        return CommandSpec.forAnnotatedObject(mixin).options().stream().flatMap(o -> List.of(o.names()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, List<String>> expected() {
        Map<String, List<String>> table = new LinkedHashMap<>();
        List<String> writesInstall = List.of("host", "lock", "state", "install");
        List<String> changes = List.of("host", "lock", "state");
        List<String> reads = List.of("host", "state");
        table.put("up", writesInstall);
        table.put("render", List.of("state", "install"));
        table.put("renew", writesInstall);
        table.put("status", List.of("host", "state", "install", "json"));
        table.put("config check", List.of("state", "install"));
        table.put("start", changes);
        table.put("stop", changes);
        table.put("restart", changes);
        table.put("logs", reads);
        table.put("history", List.of("host", "state", "json"));
        table.put("doctor", reads);
        table.put("uninstall", writesInstall);
        table.put("update", writesInstall);
        table.put("refresh", writesInstall);
        table.put("backup", changes);
        table.put("restore", writesInstall);
        table.put("migrate", writesInstall);
        table.put("user add", changes);
        table.put("user list", List.of("host", "lock", "state", "json"));
        table.put("user deactivate", changes);
        table.put("user reset-password", changes);
        table.put("token create", changes);
        table.put("token list", List.of("host", "lock", "state", "json"));
        table.put("token revoke", changes);
        table.put("stats mau", List.of("host", "state", "json"));
        table.put("db upgrade", changes);
        return table;
    }

    /** Every command that runs something (not `help`, not a parent like `user`), by its path. */
    static Map<String, CommandSpec> leaves() {
        Map<String, CommandSpec> leaves = new LinkedHashMap<>();
        collect(MatrixInstall.commandLine(), "", leaves);
        return leaves;
    }

    private static void collect(CommandLine command, String prefix, Map<String, CommandSpec> leaves) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = (prefix + " " + name).strip();
            if (sub.getSubcommands().isEmpty()) {
                if (!name.equals("help")) {
                    leaves.put(path, sub.getCommandSpec());
                }
            } else {
                collect(sub, path, leaves);
            }
        });
    }

    private static Set<String> options(CommandSpec spec) {
        return spec.options().stream().flatMap(o -> List.of(o.names()).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The groups a command has; fails when it has only part of one. */
    private static List<String> groupsOf(String command, CommandSpec spec) {
        Set<String> options = options(spec);
        List<String> groups = new ArrayList<>();
        GROUPS.forEach((group, names) -> {
            Set<String> present = names.stream().filter(options::contains).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(present.isEmpty() || present.equals(names), command + " has only " + present + " of the " + group
                    + " group " + names);
            if (!present.isEmpty()) {
                groups.add(group);
            }
        });
        return groups;
    }

    @Test
    void everyCommandTakesTheGroupsOfTheTable() {
        Map<String, List<String>> actual = new LinkedHashMap<>();
        leaves().forEach((command, spec) -> actual.put(command, groupsOf(command, spec)));
        assertEquals(EXPECTED, actual);
    }

    @Test
    void theInstallSettingsAreOnlyOnTheCommandsThatWriteTheInstall() {
        Set<String> install = GROUPS.get("install");
        assertTrue(install.containsAll(List.of("--acme-staging", "--element-brand", "--email", "--tls", "--domain", "--set",
                "--config", "--base-dir", "--server-name")), install.toString());
        Set<String> with = new TreeSet<>();
        leaves().forEach((command, spec) -> {
            if (options(spec).stream().anyMatch(install::contains)) {
                with.add(command);
            }
        });
        assertEquals(new TreeSet<>(List.of("up", "render", "renew", "status", "config check", "uninstall", "update",
                "refresh", "restore", "migrate")), with);
        String userAdd = MatrixInstall.commandLine("user").getSubcommands().get("user").getSubcommands().get("add")
                .getUsageMessage();
        String backup = MatrixInstall.commandLine("backup").getSubcommands().get("backup").getUsageMessage();
        for (String option : List.of("--acme-staging", "--element-brand", "--email", "--tls", "--domain")) {
            assertTrue(!userAdd.contains(option), "user add --help lists " + option);
            assertTrue(!backup.contains(option), "backup --help lists " + option);
        }
    }

    /** --verbose (and --help) on every command: an inherited option of the root. */
    @Test
    void everyCommandTakesVerbose() {
        leaves().forEach((command, spec) -> {
            assertTrue(options(spec).containsAll(List.of("--verbose", "--help")), command + ": " + options(spec));
        });
    }

    /**
     * What the integration tests in it/src/test pass to each command (collected with grep over their argument
     * lists): every one of these must stay accepted there.
     */
    @Test
    void everyFlagAnIntegrationTestPassesIsStillAccepted() {
        List<String> installFlags = List.of("--domain", "--email", "--tls", "--base-dir", "--set", "--element-brand");
        Map<String, List<String>> passed = new LinkedHashMap<>();
        passed.put("up", concat(installFlags, List.of("--pull", "--timeout", "--run-dir", "--wait", "--dry-run", "--root",
                "--push-images", "--docker-source", "--host", "--identity", "--known-hosts", "--accept-new-host-key", "--admin",
                "--admin-password-file", "--verbose")));
        passed.put("render", List.of("--root", "--domain", "--email", "--tls", "--base-dir", "--set"));
        passed.put("status", List.of("--domain", "--email", "--tls", "--base-dir", "--set", "--state-dir", "--json"));
        passed.put("renew", List.of("--force", "--domain", "--email", "--tls", "--base-dir", "--set"));
        passed.put("update", List.of("--dry-run", "--timeout", "--domain", "--email", "--tls", "--base-dir", "--set"));
        passed.put("uninstall", List.of("--purge-data", "--yes", "--domain", "--email", "--base-dir", "--set", "--run-dir"));
        passed.put("start", List.of("--run-dir"));
        passed.put("stop", List.of("--run-dir"));
        passed.put("restart", List.of("--dry-run", "--run-dir"));
        passed.put("logs", List.of("--tail", "--since"));
        passed.put("backup", List.of("--run-dir"));
        passed.put("restore", List.of("--from", "--dry-run", "--timeout", "--pull", "--verbose", "--run-dir"));
        passed.put("migrate", List.of("--from-dump", "--signing-key", "--macaroon-secret-file", "--media", "--domain",
                "--email", "--tls", "--base-dir", "--set", "--run-dir"));
        passed.put("user add", List.of("--admin", "--password-file", "--exists-ok", "--run-dir"));
        passed.put("user list", List.of("--json", "--run-dir"));
        passed.put("user deactivate", List.of("--run-dir"));
        passed.put("user reset-password", List.of("--password-file", "--run-dir"));
        passed.put("token create", List.of("--uses", "--expires", "--run-dir"));
        passed.put("token list", List.of("--json", "--run-dir"));
        passed.put("token revoke", List.of("--run-dir"));
        passed.put("stats mau", List.of("--json", "--month"));
        passed.put("db upgrade", List.of("--to", "--undo", "--prune-old", "--dry-run", "--timeout", "--run-dir"));
        Map<String, CommandSpec> leaves = leaves();
        passed.forEach((command, flags) -> {
            Set<String> accepted = options(leaves.get(command));
            assertTrue(accepted.containsAll(flags), command + " no longer takes "
                    + flags.stream().filter(f -> !accepted.contains(f)).toList());
        });
    }

    /** docs/operating.md shows the same table, generated here. */
    @Test
    void theDocsShowTheTable() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "operating.md"));
        StringBuilder table = new StringBuilder("| command | " + String.join(" | ", GROUPS.keySet()) + " |\n|---|"
                + "---|".repeat(GROUPS.size()) + "\n");
        EXPECTED.forEach((command, groups) -> {
            table.append("| `").append(command).append("` |");
            GROUPS.keySet().forEach(group -> table.append(groups.contains(group) ? " ✓ |" : "  |"));
            table.append('\n');
        });
        assertTrue(doc.contains(table), "docs/operating.md lacks the table of command → option groups:\n" + table);
        for (Map.Entry<String, Set<String>> group : GROUPS.entrySet()) {
            String names = group.getValue().stream().filter(n -> !n.equals("--run-dir")).map(n -> "`" + n + "`")
                    .collect(Collectors.joining(", "));
            assertTrue(doc.contains("| " + group.getKey() + " | " + names + " |"),
                    "docs/operating.md lacks the row of the " + group.getKey() + " group: | " + group.getKey() + " | " + names + " |");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
