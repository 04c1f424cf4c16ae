package io.matrixinstall.provision;

import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.FileSync;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code template: T, to: PATH}: writes {@code templates/T} (root:root 0644) with the values of {@code with} plus
 * the host's facts ({@code codename}, {@code arch}). Rewritten when its content differs, or, with
 * {@code when: absent}, written only when missing (a file the admin owns from then on, like daemon.json).
 */
public record TemplateFile(String template, Path to, Map<String, String> with, boolean onlyWhenAbsent)
        implements RecipeAction {
    static final int MODE = 0644;

    @Override
    public boolean converge(RecipeRun run) {
        var now = run.host().stat(to);
        if (now.isEmpty()) {
            // Rendered when applied: a missing file needs no facts (arch) to be planned, so a dry run on a bare
            // host asks it nothing.
            run.context().gate().submit(describe(run), () -> write(run));
            return true;
        }
        if (onlyWhenAbsent) {
            return false;
        }
        boolean changed = FileSync.file(run.context(), to, run.render(template, with), Ownership.ROOT, MODE);
        if (changed && run.context().gate().applies()) {
            run.sourcesChanged();
        }
        return changed || !attributesRight(now.get());
    }

    @Override
    public String describe(RecipeRun run) {
        return "write " + to + " (root:root 0644)";
    }

    private boolean attributesRight(FileState state) {
        return state.owner().equals(Ownership.ROOT) && state.mode() == MODE;
    }

    private void write(RecipeRun run) {
        run.createParent(to);
        run.host().writeAtomically(to, run.render(template, with), Ownership.ROOT, MODE);
        run.sourcesChanged();
    }
}
