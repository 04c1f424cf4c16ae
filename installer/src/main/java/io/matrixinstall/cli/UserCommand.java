package io.matrixinstall.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.users.Localpart;
import io.matrixinstall.users.SynapseApi;
import io.matrixinstall.users.UserAccounts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `user add|list|deactivate|reset-password`: the accounts of the installed server. */
@Command(name = "user", description = "Manage the accounts of the installed server (through Synapse's own API at its container's address).",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Deactivate.class,
                UserCommand.ResetPassword.class})
final class UserCommand {

    /** What every user subcommand shares: the admin API frame, and changes through {@link UserAccounts}. */
    abstract static class Base extends AdminApiCommand {
        /** Runs {@code change} under the host lock, with its history line (never a password in it). */
        int changing(RunFrame frame, InstallConfig config, String command, Function<UserAccounts, String> change) {
            return change(frame, config, command, gate -> Result.of(change.apply(new UserAccounts(frame.host(), config, gate))));
        }
    }

    @Command(name = "add", description = "Create an account through Synapse's shared-secret registration."
            + " The password comes from --password-file or is asked for at the terminal; never from the command line.")
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user name (localpart): a-z, 0-9, . _ = - / +.")
        String name;

        @Option(names = "--admin", description = "Make the account a server admin.")
        boolean admin;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE (one line).")
        Path passwordFile;

        @Option(names = "--exists-ok", description = "An existing account is not an error (exit 0, nothing changed).")
        boolean existsOk;

        @Override
        public Integer call() throws Exception {
            return run((frame, config) -> {
                Localpart user = Localpart.of(name, config.serverName());
                String password = PasswordInput.read(passwordFile, "--password-file", user.userId());
                return changing(frame, config, "user add " + user.userId(), accounts -> {
                    if (accounts.add(user, password, admin)) {
                        return "added " + user.userId() + (admin ? " (admin)" : "");
                    }
                    if (existsOk) {
                        return user.userId() + " already exists: no changes";
                    }
                    throw new StepFailedException(user.userId() + " already exists (--exists-ok accepts that)");
                });
            });
        }
    }

    @Command(name = "list", description = "List every account: user id, admin, deactivated, type, created.")
    static final class ListUsers extends Base {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws Exception {
            return run((frame, config) -> {
                Console console = frame.console();
                UserAccounts accounts = new UserAccounts(frame.host(), config, readGate());
                List<SynapseApi.User> users = read(frame, changeOptions.lock(), "user list", accounts::serviceAdminReady, accounts::list);
                if (output.json()) {
                    console.line(new ObjectMapper().writerWithDefaultPrettyPrinter()
                            .writeValueAsString(Map.of("users", users.stream().map(UserCommand::asMap).toList())));
                    return 0;
                }
                console.line(String.format("%-40s %-5s %-11s %-8s %s", "USER", "ADMIN", "DEACTIVATED", "TYPE", "CREATED"));
                for (SynapseApi.User u : users) {
                    console.line(String.format("%-40s %-5s %-11s %-8s %s", u.userId(), u.admin() ? "yes" : "no",
                            u.deactivated() ? "yes" : "no", u.userType().isEmpty() ? "-" : u.userType(),
                            Instant.ofEpochMilli(u.creationTs() < 1_000_000_000_000L ? u.creationTs() * 1000 : u.creationTs())));
                }
                return 0;
            });
        }
    }

    static Map<String, Object> asMap(SynapseApi.User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", u.userId());
        m.put("admin", u.admin());
        m.put("deactivated", u.deactivated());
        m.put("user_type", u.userType().isEmpty() ? null : u.userType());
        m.put("creation_ts", u.creationTs());
        return m;
    }

    @Command(name = "deactivate", description = "Deactivate an account: it is logged out and can no longer log in;"
            + " its messages stay.")
    static final class Deactivate extends Base {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user name or full user id.")
        String name;

        @Override
        public Integer call() throws Exception {
            return run((frame, config) -> {
                Localpart user = Localpart.ofNameOrId(name, config.serverName());
                return changing(frame, config, "user deactivate " + user.userId(), accounts -> accounts.deactivate(user)
                        ? "deactivated " + user.userId() : user.userId() + " is already deactivated: no changes");
            });
        }
    }

    @Command(name = "reset-password", description = "Give an account a new password (from --password-file or the"
            + " terminal); its devices are logged out.")
    static final class ResetPassword extends Base {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user name or full user id.")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the new password from FILE (one line).")
        Path passwordFile;

        @Override
        public Integer call() throws Exception {
            return run((frame, config) -> {
                Localpart user = Localpart.ofNameOrId(name, config.serverName());
                String password = PasswordInput.read(passwordFile, "--password-file", user.userId());
                return changing(frame, config, "user reset-password " + user.userId(), accounts -> {
                    accounts.resetPassword(user, password);
                    return "new password set for " + user.userId();
                });
            });
        }
    }
}
