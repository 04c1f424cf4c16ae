package io.matrixinstall.provision;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.HostException;
import java.util.List;
import java.util.Optional;

/**
 * {@code packages: [...]}: apt-get install, skipped when dpkg lists every one of them installed.
 *
 * @param from where they come from, for the plan line ("Docker's apt repository"); empty: the distribution
 */
public record InstallPackages(List<String> packages, Optional<String> from) implements RecipeAction {

    @Override
    public boolean converge(RecipeRun run) {
        if (installed(run)) {
            return false;
        }
        run.context().gate().submit(describe(run), () -> run.aptInstall(packages));
        return true;
    }

    @Override
    public String describe(RecipeRun run) {
        return "install " + String.join(" ", packages) + " from " + from.orElse(run.os().prettyName() + "'s packages");
    }

    private boolean installed(RecipeRun run) {
        try {
            ExecResult status = run.host().exec(Commands.packagesStatus(packages));
            // "ii " per package: wanted install, installed. A removed-but-configured package ("rc") is not installed.
            return status.ok() && status.stdout().lines().filter(line -> !line.isBlank()).count() == packages.size()
                    && status.stdout().lines().filter(line -> !line.isBlank()).allMatch(line -> line.startsWith("ii"));
        } catch (HostException e) {
            return false; // no dpkg-query there: nothing is known to be installed
        }
    }
}
