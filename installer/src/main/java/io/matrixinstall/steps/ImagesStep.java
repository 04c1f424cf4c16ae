package io.matrixinstall.steps;

import io.matrixinstall.engine.ImageIds;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.component.Components;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.engine.LocalEngine;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.plan.Output;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions.PullPolicy;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.util.List;

/**
 * Gets the images per {@code --pull}: {@code missing} (default) pulls only absent ones, so an offline
 * host with its images works; {@code never} refuses to pull; {@code always} refreshes every image. With
 * {@code --push-images} they come from the operator's engine instead ({@link ImagePush}).
 */
public final class ImagesStep implements Step {
    private final ImagePush push;
    private final Output<ComposeCli> compose;

    /** {@code compose}: the docker step's (none: no engine yet, so no image is there). */
    public ImagesStep(Output<ComposeCli> compose) {
        this(new ImagePush(LocalEngine.operators()), compose);
    }

    /** {@code push}: where {@code --push-images} takes the images from. */
    public ImagesStep(ImagePush push, Output<ComposeCli> compose) {
        this.push = push;
        this.compose = compose;
    }

    @Override
    public String name() {
        return "images";
    }

    /** What the enabled components run. */
    static List<String> images(InstallConfig config) {
        return Components.images(new Layout(config));
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        images(context.config()).forEach(image -> wants.ask(ImageIds.QUESTION, image));
    }

    @Override
    public void run(PlanContext context) {
        if (context.options().pushImages()) {
            push.run(context, images(context.config()), compose.present());
            return;
        }
        PullPolicy policy = context.options().pull();
        for (String image : images(context.config())) {
            boolean present = compose.present() && context.docker().imageId(image).isPresent();
            if (present && policy != PullPolicy.ALWAYS) {
                continue;
            }
            if (!present && policy == PullPolicy.NEVER) {
                throw new StepFailedException("image " + image + " is not on this host and --pull never forbids pulling it");
            }
            context.gate().submit("pull image " + image, () -> {
                context.progress("pulling " + image + " ...");
                context.engine().pull(image, context::progress);
            });
        }
    }
}
