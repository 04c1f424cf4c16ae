package io.matrixinstall.provision;

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
        if (run.installed(packages)) {
            return false;
        }
        run.context().gate().submit(describe(run), () -> run.aptInstall(packages));
        return true;
    }

    @Override
    public String describe(RecipeRun run) {
        return "install " + String.join(" ", packages) + " from " + from.orElse(run.os().prettyName() + "'s packages");
    }
}
