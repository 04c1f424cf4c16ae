package io.matrixinstall.cli;

import io.matrixinstall.config.ConfigException;
import io.matrixinstall.plan.PreconditionException;
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
        description = "Installs and runs a Matrix homeserver (Synapse, PostgreSQL, Element Web, nginx) with Docker Compose.",
        subcommands = {UpCommand.class, RenderCommand.class, RenewCommand.class, StatusCommand.class, ConfigCommand.class,
            UpdateCommand.class, RefreshCommand.class,
            CommandLine.HelpCommand.class})
public final class MatrixInstall {
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces on errors.")
    boolean verbose;

    public static void main(String[] args) {
        // Building the command tree reflects over every command and option (~0.4 s); `--version` alone,
        // which scripts and monitoring call often, needs none of it.
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(Version.text());
            System.exit(0);
        }
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new MatrixInstall())
                .setExecutionExceptionHandler(MatrixInstall::handle)
                .setParameterExceptionHandler(MatrixInstall::usageError)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true); // last one wins, like most CLIs
    }

    private static int handle(Exception e, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = false;
        for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
            verbose |= r.hasMatchedOption("--verbose");
        }
        commandLine.getErr().println("matrix-install: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return e instanceof ConfigException || e instanceof PreconditionException ? BAD_INPUT : FAILED;
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
