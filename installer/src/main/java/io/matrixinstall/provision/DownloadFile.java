package io.matrixinstall.provision;

import io.matrixinstall.plan.StepFailedException;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Ownership;
import java.nio.file.Path;

/**
 * {@code download: URL, to: PATH}: saves the URL with curl on the host (root:root 0644), skipped when the file
 * exists: a signing key is fetched once, as the seed does, and an admin's replacement is kept.
 */
public record DownloadFile(String url, Path to) implements RecipeAction {
    static final int MODE = 0644;

    @Override
    public boolean converge(RecipeRun run) {
        if (run.host().stat(to).isPresent()) {
            return false;
        }
        run.context().gate().submit(describe(run), () -> {
            run.createParent(to);
            // Fetched aside, then put in place atomically: a run cut off mid-download (a dropped connection) must not
            // leave a truncated key that the existence check would then keep forever.
            Path aside = to.resolveSibling("." + to.getFileName() + ".matrix-install.download");
            var download = Commands.download(url, aside);
            try {
                run.host().exec(download).requireOk(download);
                byte[] content = run.host().read(aside).orElseThrow(
                        () -> new StepFailedException(download + " left no file"));
                run.host().writeAtomically(to, content, Ownership.ROOT, MODE);
            } finally {
                run.host().remove(aside);
            }
            run.sourcesChanged();
        });
        return true;
    }

    @Override
    public String describe(RecipeRun run) {
        return "download " + url + " to " + to + " (root:root 0644)";
    }
}
