package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.Host;
import io.matrixinstall.ops.HostOperation;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.users.Localpart;
import io.matrixinstall.users.SynapseApi;
import io.matrixinstall.users.UserAccounts;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    /** What every user subcommand shares: the recorded configuration and, for changes, the host lock. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        @Mixin
        HostLockOptions lockOptions;

        @Mixin
        HostOptions hostOptions;

        final Console console = Console.system();

        /** Runs {@code change} under the host lock, with its history line (never a password in it). */
        int changing(HostLockOptions lockOptions, Host host, InstallConfig config, String command,
                Function<UserAccounts, String> change) {
            // The command prints its own result line; the gate's lines would announce a change before it is known to work.
            UserAccounts accounts = new UserAccounts(host, config, ChangeGate.applying(line -> { }));
            try (HostOperation operation = OperationRunner.begin(lockOptions, host, configOptions.stateDir(), command,
                    false, console)) {
                try {
                    String result = change.apply(accounts);
                    operation.succeeded(!result.endsWith("no changes"), result);
                    console.line(result);
                } catch (RuntimeException e) {
                    operation.failed(e);
                    throw e;
                }
            }
            return 0;
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
            return hostOptions.run(lockOptions.runDir(), host -> {
                InstallConfig config = configOptions.load(host);
                Localpart user = Localpart.of(name, config.serverName());
                String password = PasswordInput.read(passwordFile, "--password-file", user.userId());
                return changing(lockOptions, host, config, "user add " + user.userId(), accounts -> {
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
        @Option(names = "--json", description = "One JSON document instead of a table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return hostOptions.run(lockOptions.runDir(), host -> {
                InstallConfig config = configOptions.load(host);
                UserAccounts accounts = new UserAccounts(host, config, ChangeGate.applying(line -> { }));
                java.util.List<SynapseApi.User> users;
                if (accounts.serviceAdminReady()) {
                    users = accounts.list(); // a read: no lock
                } else {
                    // The first use registers the agent's account and writes its credentials: a change, so under the lock.
                    try (io.matrixinstall.host.HostLock lock = lockOptions.acquire(host, "user list", console)) {
                        users = accounts.list();
                    }
                }
                if (json) {
                    console.line(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                            .writeValueAsString(java.util.Map.of("users", users.stream().map(UserCommand::asMap).toList())));
                    return 0;
                }
                console.line(String.format("%-40s %-5s %-11s %-8s %s", "USER", "ADMIN", "DEACTIVATED", "TYPE", "CREATED"));
                for (SynapseApi.User u : users) {
                    console.line(String.format("%-40s %-5s %-11s %-8s %s", u.userId(), u.admin() ? "yes" : "no",
                            u.deactivated() ? "yes" : "no", u.userType().isEmpty() ? "-" : u.userType(),
                            java.time.Instant.ofEpochMilli(u.creationTs() < 1_000_000_000_000L ? u.creationTs() * 1000 : u.creationTs())));
                }
                return 0;
            });
        }
    }

    static java.util.Map<String, Object> asMap(SynapseApi.User u) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
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
            return hostOptions.run(lockOptions.runDir(), host -> {
                InstallConfig config = configOptions.load(host);
                Localpart user = Localpart.ofNameOrId(name, config.serverName());
                return changing(lockOptions, host, config, "user deactivate " + user.userId(), accounts -> accounts.deactivate(user)
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
            return hostOptions.run(lockOptions.runDir(), host -> {
                InstallConfig config = configOptions.load(host);
                Localpart user = Localpart.ofNameOrId(name, config.serverName());
                String password = PasswordInput.read(passwordFile, "--password-file", user.userId());
                return changing(lockOptions, host, config, "user reset-password " + user.userId(), accounts -> {
                    accounts.resetPassword(user, password);
                    return "new password set for " + user.userId();
                });
            });
        }
    }
}
