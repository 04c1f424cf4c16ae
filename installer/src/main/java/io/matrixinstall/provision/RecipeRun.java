package io.matrixinstall.provision;

import io.matrixinstall.host.HostException;
import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.OsRelease;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One run of recipes on a host within a plan: what the actions share (the gate, facts, apt's state). */
public final class RecipeRun {
    private final PlanContext context;
    private final TemplateRenderer renderer;
    private OsRelease os;
    private String arch;
    /** apt's package lists are refreshed before the first install of a run, and again after a source was written. */
    private boolean listsStale = true;

    public RecipeRun(PlanContext context, TemplateRenderer renderer) {
        this.context = context;
        this.renderer = renderer;
    }

    public PlanContext context() {
        return context;
    }

    public Host host() {
        return context.host();
    }

    public OsRelease os() {
        if (os == null) {
            os = host().osRelease();
        }
        return os;
    }

    /** Runs every action in order; true when any submitted a change. */
    public boolean converge(Recipe recipe) {
        boolean changed = false;
        for (RecipeAction action : recipe.actions()) {
            changed |= action.converge(this);
        }
        return changed;
    }

    /** Whether dpkg lists every one of {@code packages} installed (one question for all). */
    public boolean installed(List<String> packages) {
        try {
            var status = FactsHost.of(host()).ask(Commands.packagesStatus(packages));
            // "ii " per package: wanted install, installed. A removed-but-configured package ("rc") is not installed.
            List<String> lines = status.stdout().lines().filter(line -> !line.isBlank()).toList();
            return status.ok() && lines.size() == packages.size() && lines.stream().allMatch(line -> line.startsWith("ii"));
        } catch (HostException e) {
            return false; // no dpkg-query there: nothing is known to be installed
        }
    }

    void aptInstall(Collection<String> packages) {
        if (listsStale) {
            run(Commands.aptUpdate());
            listsStale = false;
        }
        Command install = Commands.aptInstall(packages);
        var result = host().exec(install);
        if (!result.ok() && result.stderr().contains("dpkg was interrupted")) {
            // A run cut off during an install (a dropped connection) leaves dpkg half-way; apt refuses until the
            // pending configuration is finished, which is what a re-run must do to converge.
            context.progress("dpkg was interrupted by an earlier run: finishing it (dpkg --configure -a)");
            run(Commands.dpkgConfigurePending());
            result = host().exec(install);
        }
        result.requireOk(install);
    }

    /** A file that may be an apt source or key was written: the lists must be read again before installing. */
    void sourcesChanged() {
        listsStale = true;
    }

    void createParent(Path file) {
        if (host().stat(file.getParent()).isEmpty()) {
            host().createDirectory(file.getParent(), Ownership.ROOT, 0755);
        }
    }

    byte[] render(String template, Map<String, String> with) {
        Map<String, Object> model = new HashMap<>(with);
        model.put("codename", os().codename().orElse(""));
        model.put("arch", arch());
        return renderer.render(template, model);
    }

    private String arch() {
        if (arch == null) {
            arch = run(Commands.dpkgArchitecture()).stdout().strip();
        }
        return arch;
    }

    private ExecResult run(Command command) {
        return host().exec(command).requireOk(command);
    }

    /** The plan lines of {@code recipe}, unchecked (for a choice that cannot be made yet in a dry run). */
    public List<String> describe(Recipe recipe) {
        return recipe.actions().stream().map(action -> action.describe(this)).toList();
    }
}
