package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself: help on every command, and usage mistakes as one line plus a hint, exit 2. */
class MatrixInstallTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MatrixInstall.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Every command path below the root: [up], [config], [config, check], [help], ... */
    private static List<List<String>> commandPaths(CommandLine command, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        command.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            paths.add(path);
            paths.addAll(commandPaths(sub, path));
        });
        return paths;
    }

    @Test
    void everySubcommandPrintsItsUsageOnHelp() {
        List<List<String>> paths = commandPaths(MatrixInstall.commandLine(), List.of());
        assertTrue(paths.size() >= 7, paths.toString()); // up, render, renew, status, config, config check, help
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Run run = run(args.toArray(String[]::new));
                assertEquals(0, run.exit(), args + ": " + run.err());
                assertTrue(run.out().contains("Usage: matrix-install " + String.join(" ", path) + " "), args + ": " + run.out());
                assertEquals("", run.err(), args.toString());
            }
        }
        Run root = run("--help");
        assertEquals(0, root.exit());
        assertTrue(root.out().startsWith("Usage: matrix-install "), root.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "up --domian matrix.example.org|Unknown option: '--domian' (did you mean --domain?)|matrix-install up",
        "up --dry-rn|Unknown option: '--dry-rn' (did you mean --dry-run?)|matrix-install up",
        "up --domain|Missing required parameter for option '--domain' (HOST)|matrix-install up",
        "up --pull sometimes|Invalid value for option '--pull': expected one of [ALWAYS, MISSING, NEVER] (case-insensitive) but was 'sometimes'|matrix-install up",
        "up --timeout soon|Invalid value for option '--timeout': 'soon' is not an int|matrix-install up",
        "up --set ports.https|Value for option '--set' (KEY=VALUE) should be in KEY=VALUE format but was ports.https|matrix-install up",
        "up stray|Unexpected argument: 'stray'|matrix-install up",
        "upp|Unknown command: 'upp' (did you mean up?)|matrix-install",
        "config chek|Unknown command: 'chek' (did you mean check?)|matrix-install config",
        "config|Missing required subcommand|matrix-install config",
        "render --domain matrix.example.org|Missing required option: '--root=DIR'|matrix-install render",
    })
    void usageMistakesAreOneLinePlusAHintAndExitTwo(String args, String message, String command) {
        Run run = run(args.split(" "));
        assertEquals(2, run.exit());
        assertEquals("matrix-install: " + message + "\nTry '" + command + " --help'.\n", run.err().replace("\r\n", "\n"));
        assertEquals("", run.out());
    }

    @Test
    void noCommandAtAllIsAUsageMistakeToo() {
        Run run = run();
        assertEquals(2, run.exit());
        assertEquals("matrix-install: Missing required subcommand\nTry 'matrix-install --help'.\n", run.err());
    }

    @Test
    void badConfigurationIsOneLineNamingTheKeyAndExitTwo() {
        Run run = run("config", "check", "--domain", "matrix.example.org", "--email", "admin@example.org",
                "--base-dir", "/tmp");
        assertEquals(2, run.exit());
        assertEquals("matrix-install: base_dir: /tmp is a system directory; choose a directory of its own such as"
                + " /data/matrix\n", run.err());
    }

    @Test
    void uninstallsHelpNamesWhatPurgeDeletesAndThatBackupsNeedTheirOwnOption() {
        Run help = run("uninstall", "--help");
        assertEquals(0, help.exit(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("--purge-data") && text.contains("--purge-backups"), text);
        assertTrue(text.contains("except base_dir/backups"), text);
        assertTrue(text.contains("the dumps `update` and `db upgrade` took"), text);
        Run alone = run("uninstall", "--purge-backups");
        assertEquals(2, alone.exit(), alone.err());
        assertTrue(alone.err().startsWith("matrix-install: --purge-backups: needs --purge-data"), alone.err());
    }
}
