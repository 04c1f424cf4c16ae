package io.matrixinstall.data;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;

/** `restore`: unpacks the backup's media tar over the media store (owners kept as numbers: 991). */
public final class MediaArchiveStep implements Step {
    private final Path archive;

    public MediaArchiveStep(Path archive) {
        this.archive = archive;
    }

    @Override
    public String name() {
        return "restore media";
    }

    @Override
    public void run(PlanContext context) {
        Path files = context.layout().filesDir();
        context.gate().submit("unpack " + archive + " into " + context.layout().mediaStore(), () -> {
            Command tar = Commands.tarExtract(archive, files);
            try (TransferMeter meter = TransferMeter.reading(context, archive, "media restore")) {
                context.host().exec(tar).requireOk(tar);
            }
        });
    }
}
