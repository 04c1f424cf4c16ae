package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** Entry point. Exit codes: 0 done, 1 failed, 2 bad input (nothing was changed). */
// scope INHERIT: --help and --version work on every subcommand too.
@Command(name = "matrix-install", mixinStandardHelpOptions = true, versionProvider = MatrixInstall.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Installs and runs a Matrix homeserver (Synapse, PostgreSQL, Element Web, nginx) with Docker Compose.")
public final class MatrixInstall {
    /**
     * Every subcommand, by name, in the order `--help` lists them. Picocli reflects over a command when it is
     * added; a run adds only the one it was asked for (see {@link #commandLine(String...)}).
     */
    static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, java.util.function.Supplier<Object>> subcommands() {
        java.util.Map<String, java.util.function.Supplier<Object>> all = new java.util.LinkedHashMap<>();
        all.put("up", UpCommand::new);
        all.put("render", RenderCommand::new);
        all.put("renew", RenewCommand::new);
        all.put("status", StatusCommand::new);
        all.put("config", ConfigCommand::new);
        all.put("start", ServiceCommands.Start::new);
        all.put("stop", ServiceCommands.Stop::new);
        all.put("restart", ServiceCommands.Restart::new);
        all.put("logs", LogsCommand::new);
        all.put("history", HistoryCommand::new);
        all.put("doctor", DoctorCommand::new);
        all.put("uninstall", UninstallCommand::new);
        all.put("update", UpdateCommand::new);
        all.put("refresh", RefreshCommand::new);
        all.put("backup", BackupCommand::new);
        all.put("restore", RestoreCommand::new);
        all.put("migrate", MigrateCommand::new);
        all.put("user", UserCommand::new);
        all.put("token", TokenCommand::new);
        all.put("stats", StatsCommand::new);
        all.put("db", DbCommand::new);
        all.put("help", CommandLine.HelpCommand::new);
        return java.util.Collections.unmodifiableMap(all);
    }
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Say more: step timings, SSH round trips, and the stack trace of an error.")
    boolean verbose;

    public static void main(String[] args) {
        // Building the command tree reflects over every command and option (~0.4 s); `--version` alone,
        // which scripts and monitoring call often, needs none of it.
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(Version.text());
            System.exit(0);
        }
        Warmup.start(args);
        System.exit(commandLine(args).execute(args));
    }

    /** The whole command tree: for the root's help, suggestions for a mistyped command, and tests. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The tree a run of {@code args} needs: when the first argument names a subcommand, only that one (half the
     * start-up time of a no-op `up` went into reflecting over commands it would not run); otherwise all of them.
     */
    static CommandLine commandLine(String... args) {
        CommandLine root = configured(new CommandLine(new MatrixInstall()));
        boolean one = args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help");
        SUBCOMMANDS.forEach((name, command) -> {
            if (!one || name.equals(args[0])) {
                root.addSubcommand(name, command.get());
            }
        });
        return configured(root);
    }

    private static CommandLine configured(CommandLine commandLine) {
        return commandLine
                .setExecutionExceptionHandler(MatrixInstall::handle)
                .setParameterExceptionHandler(MatrixInstall::usageError)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true); // last one wins, like most CLIs
    }

    /** Every command's failure leaves through the frame's one error path. */
    private static int handle(Exception e, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = false;
        for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
            verbose |= r.hasMatchedOption("--verbose");
        }
        return RunFrame.failed(e, commandLine.getErr(), verbose);
    }

    /**
     * A usage mistake (unknown option, missing value, bad choice, no subcommand): one line saying what, with
     * picocli's suggestion when it has one, and one line saying where the usage is; not the whole usage text.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip().lines().findFirst().orElse("");
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            // Only the first: what follows an unknown option is usually its value, not a second mistake.
            String first = unmatched.getUnmatched().get(0);
            message = (first.startsWith("-") ? "Unknown option: '"
                    : command.getSubcommands().isEmpty() ? "Unexpected argument: '" : "Unknown command: '") + first + "'";
            if (!unmatched.getSuggestions().isEmpty()) {
                message += " (did you mean " + unmatched.getSuggestions().get(0) + "?)";
            }
        }
        message = message.replace("option option", "option"); // picocli's wording for a malformed map value
        command.getErr().println("matrix-install: " + ConfigException.oneLine(message));
        command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        command.getErr().flush();
        return BAD_INPUT;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {text()};
        }

        static String text() {
            Properties properties = new Properties();
            try (InputStream in = MatrixInstall.class.getResourceAsStream("/matrix-install-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // packaged with the jar; unreadable means a broken jar, and "unknown" says so
            }
            return "matrix-install " + properties.getProperty("version", "unknown");
        }
    }
}
