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
@Command(name = "matrix-install", mixinStandardHelpOptions = true, versionProvider = MatrixInstall.Version.class,
        description = "Installs and runs a Matrix homeserver (Synapse, PostgreSQL, Element Web, nginx) with Docker Compose.",
        subcommands = {UpCommand.class, RenderCommand.class, RenewCommand.class, StatusCommand.class, ConfigCommand.class,
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
