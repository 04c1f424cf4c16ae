package io.matrixinstall.steps;

import io.matrixinstall.config.Branding;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.Wants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Element's branding files (element.welcome_page, element.logo): copies the operator's files into the branding
 * directory Compose mounts into the element container, and removes what an earlier configuration copied there
 * (each a change of its own, so `up --dry-run` lists it), the directory too once nothing of it is wanted.
 * Element's config.json names the files (its content is an input of the element container, see WantedFiles).
 */
public final class BrandingStep implements Step {
    /** The names this step writes: anything else in the directory is not its to remove. */
    private static final Pattern OURS = Pattern.compile("welcome\\.html|logo\\.(png|jpg|gif|webp|svg)");

    @Override
    public String name() {
        return "branding";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        Path dir = context.layout().brandingDir();
        wants.list(dir).stat(dir);
        wants.file(wanted(context).stream().map(FileSync.Wanted::path).toList());
    }

    @Override
    public void run(PlanContext context) {
        List<FileSync.Wanted> wanted = wanted(context);
        FileSync.files(context, wanted);
        Path dir = context.layout().brandingDir();
        if (context.host().stat(dir).filter(state -> state.directory()).isEmpty()) {
            return;
        }
        List<String> left = new ArrayList<>();
        for (String name : context.host().list(dir)) {
            Path file = dir.resolve(name);
            boolean keep = wanted.stream().anyMatch(w -> w.path().equals(file));
            if (!keep && OURS.matcher(name).matches()) {
                context.gate().submit("remove " + file + " (" + (name.startsWith("logo") ? "element.logo" : "element.welcome_page")
                        + " no longer names it)", () -> context.host().remove(file));
            } else {
                left.add(name);
            }
        }
        if (!context.config().branding().hasFiles() && left.isEmpty()) {
            context.gate().submit("remove directory " + dir + " (no element.welcome_page or element.logo)",
                    () -> context.host().remove(dir));
        }
    }

    private static List<FileSync.Wanted> wanted(PlanContext context) {
        Branding branding = context.config().branding();
        Path dir = context.layout().brandingDir();
        List<FileSync.Wanted> files = new ArrayList<>();
        for (Optional<Branding.File> file : List.of(branding.welcomePage(), branding.logo())) {
            file.ifPresent(f -> files.add(new FileSync.Wanted(dir.resolve(f.name()), f.content(), Ownership.ROOT,
                    Layout.PUBLIC_FILE)));
        }
        return files;
    }
}
