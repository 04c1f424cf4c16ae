package io.matrixinstall.data;

import io.matrixinstall.command.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * `restore` and `migrate --media`: the media they bring, as one tar archive in {@link RestoreStaging} (the backup's
 * media.tar copied and checked against its manifest, or a tar of the old media directory), listed and refused unless
 * it holds only regular files and directories ({@link TarListing}), unpacked there without owners, modes, extended
 * attributes, setuid, setgid or sticky bits, and given to Synapse (991). Runs before the database is swapped, so a
 * refusal leaves the server as it was; {@link MediaPlaceStep} then puts the result in place of the media store.
 */
public final class MediaStagingStep implements Step {
    /** The media store's name in a backup's media.tar (`tar -C files media_store`). */
    static final String STORE = "media_store";
    private final String source;
    private final String top;
    private final BiConsumer<PlanContext, Path> archive;

    private MediaStagingStep(String source, String top, BiConsumer<PlanContext, Path> archive) {
        this.source = source;
        this.top = top;
        this.archive = archive;
    }

    /** The backup's media.tar, used only as a copy whose SHA-256 is the manifest's. */
    public static MediaStagingStep fromBackup(VerifyBackupStep verified) {
        return new MediaStagingStep(verified.directory().resolve(BackupLayout.MEDIA).toString(), STORE,
                (context, file) -> verified.copyVerified(context, BackupLayout.MEDIA, file));
    }

    /** An old server's media store directory (`migrate --media`), archived as it is now. */
    public static MediaStagingStep fromDirectory(Path directory) {
        return new MediaStagingStep(directory.toString(), ".", (context, file) -> {
            Command tar = Commands.tarCreate(directory, ".");
            try (TransferMeter meter = TransferMeter.watch(context, file, "media archive")) {
                context.host().execToFile(tar, file, Ownership.ROOT, Layout.PRIVATE_FILE).requireOk(tar);
            }
        });
    }

    @Override
    public String name() {
        return "unpack media";
    }

    /** Where the unpacked media store is once this step ran. */
    Path unpacked(Layout layout) {
        Path media = RestoreStaging.directory(layout).resolve("media");
        return top.equals(".") ? media : media.resolve(top);
    }

    @Override
    public void run(PlanContext context) {
        Path staging = RestoreStaging.directory(context.layout());
        context.gate().submit("unpack " + source + " into " + staging + " (only regular files and directories; owned by"
                + " 991:991, without setuid, setgid or sticky bits)", () -> {
            try {
                unpack(context);
            } catch (RuntimeException e) {
                RestoreStaging.remove(context);
                throw e;
            }
        });
    }

    private void unpack(PlanContext context) {
        Host host = context.host();
        Path staging = RestoreStaging.fresh(context);
        Path file = staging.resolve("media.tar");
        archive.accept(context, file);
        TarListing.problem(host, file, top).ifPresent(problem -> {
            throw new StepFailedException(source + " holds " + problem + ": media may only be regular files and directories;"
                    + " the media store was not touched");
        });
        Path media = staging.resolve("media");
        host.createDirectory(media, Ownership.ROOT, Layout.PRIVATE_DIR);
        Command tar = Commands.tarExtract(file, media);
        try (TransferMeter meter = TransferMeter.reading(context, file, "media unpack")) {
            host.exec(tar).requireOk(tar);
        }
        host.remove(file);
        Path store = unpacked(context.layout());
        host.createDirectory(store, Ownership.ROOT, Layout.PRIVATE_DIR); // an archive without the store itself
        for (Command command : List.of(Commands.stripSpecialModes(store),
                Commands.chownTree(store, Ownership.SYNAPSE.uid(), Ownership.SYNAPSE.gid()))) {
            host.exec(command).requireOk(command);
        }
        host.setOwnerAndMode(store, Ownership.SYNAPSE, Layout.DIR);
    }
}
