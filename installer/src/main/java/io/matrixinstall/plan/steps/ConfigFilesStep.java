package io.matrixinstall.plan.steps;

import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.render.TemplateModel;
import io.matrixinstall.render.TemplateRenderer;
import java.util.Map;

/** Renders every template and writes the files whose content, owner or mode differ. */
public final class ConfigFilesStep implements Step {
    private final TemplateRenderer renderer;

    public ConfigFilesStep(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public String name() {
        return "configuration files";
    }

    @Override
    public void run(PlanContext context) {
        Map<String, Object> model = TemplateModel.of(context.config(), context.layout(), context.secrets(),
                HostIpv6.available(context.host()));
        for (RenderedFile file : context.layout().renderedFiles()) {
            byte[] content = renderer.render(file.template(), model);
            if (FileSync.file(context, file.path(), content, file.owner(), file.mode())) {
                context.fileChanged(file.path());
                context.restartLater(file.services());
            }
        }
    }
}
