package io.matrixinstall.update;

import io.matrixinstall.component.ComposeService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one `update` found and did, shared by its steps and by the rollback. */
public final class UpdateRun {

    /** A service whose container runs another image than the one the registry serves now. */
    public record Change(ComposeService service, String runningImageId, String runningDigest, String newDigest) {
        public String describe() {
            return service.name() + " " + Digests.shortForm(runningDigest) + " -> " + Digests.shortForm(newDigest);
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private final Map<String, String> keptImages = new LinkedHashMap<>();
    private Path backup;
    private boolean healthy;

    /** The new release (if any) passed its health checks. */
    public void healthy() {
        healthy = true;
    }

    /** Whether a failure now calls for a rollback: something was recreated and has not proven healthy. */
    public boolean needsRollback() {
        return !healthy && !keptImages.isEmpty();
    }

    public void changed(Change change) {
        changes.add(change);
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    public boolean databaseTouched() {
        return changes.stream().anyMatch(c -> c.service().touchesDatabase());
    }

    public void keptImage(String service, String tag) {
        keptImages.put(service, tag);
    }

    /** service -> the tag that keeps its previous image. */
    public Map<String, String> keptImages() {
        return Map.copyOf(keptImages);
    }

    public void backup(Path file) {
        this.backup = file;
    }

    public Optional<Path> backup() {
        return Optional.ofNullable(backup);
    }

    public String summary() {
        return changes.stream().map(Change::describe).reduce((a, b) -> a + ", " + b).orElse("no changes");
    }
}
