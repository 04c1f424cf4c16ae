package io.matrixinstall.steps;

import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.layout.CopiedFile;
import io.matrixinstall.layout.RenderedFile;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.render.HostIpv6;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.render.WantedFiles;
import io.matrixinstall.secrets.Secrets;
import java.util.stream.Stream;

/**
 * Renders every template and writes the files whose content, owner or mode differ, with the files the components
 * copy from the operator's machine. Which containers
 * must then be recreated or reloaded is not decided here: the stack steps compare what the containers
 * run with these files, so a run killed right after a write is repaired by the next one.
 */
public final class ConfigFilesStep implements Step {
    private final TemplateRenderer renderer;
    private final Output<Secrets> secrets;

    /** {@code secrets}: the secrets step's, which the files carry. */
    public ConfigFilesStep(TemplateRenderer renderer, Output<Secrets> secrets) {
        this.renderer = renderer;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return "configuration files";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        wants.file(Components.files(context.layout()).stream().map(RenderedFile::path).toList());
        wants.file(Components.copies(context.layout()).stream().map(CopiedFile::path).toList());
        wants.read(HostIpv6.IF_INET6);
    }

    @Override
    public void run(PlanContext context) {
        WantedFiles wanted = Components.wantedFiles(context, renderer, secrets.get());
        FileSync.files(context, Stream.concat(Components.files(context.layout()).stream()
                .map(file -> new FileSync.Wanted(file.path(), wanted.content(file.path()), file.owner(), file.mode())),
                Components.copies(context.layout()).stream()
                        .map(file -> new FileSync.Wanted(file.path(), file.content(), file.owner(), file.mode())))
                .toList());
    }
}
