package io.matrixinstall.steps;

import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;

/** The seed's directory tree with its owners and modes. */
public final class DirectoriesStep implements Step {

    @Override
    public String name() {
        return "directories";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.stat(Components.directories(context.layout()).stream().map(ManagedDirectory::path).toList());
    }

    @Override
    public void run(PlanContext context) {
        FileSync.directories(context, Components.directories(context.layout()));
    }
}
