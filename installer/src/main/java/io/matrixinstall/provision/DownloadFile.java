package io.matrixinstall.provision;

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
            var download = Commands.download(url, to);
            run.host().exec(download).requireOk(download);
            run.host().setOwnerAndMode(to, Ownership.ROOT, MODE);
            run.sourcesChanged();
        });
        return true;
    }

    @Override
    public String describe(RecipeRun run) {
        return "download " + url + " to " + to + " (root:root 0644)";
    }
}
