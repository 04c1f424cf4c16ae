package io.matrixinstall.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.host.FactsHost;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.host.Snapshot;
import io.matrixinstall.host.SshdExtension;
import io.matrixinstall.host.TestSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root-only check of a path whose links were followed in the snapshot ({@code Wants.follow}) answers from those
 * facts alone (over SSH: no round trip after the snapshot), and is as strict as when it asks the host step by step:
 * a link or a directory planted by another user, or a group-writable one, anywhere on the chain, is refused. And the
 * Java's feature release comes from its runtime's release file in the same facts, without starting it.
 */
class RootOnlyPathFromFactsTest {
    @RegisterExtension
    static final SshdExtension SSHD = new SshdExtension(TestSshd.freePort());

    @TempDir
    Path dir;

    /** bin/java -> ../alternatives/java -> jvm/jdk-17/bin/java, root's 0755 all the way, with a release file. */
    private Path chain() throws IOException {
        Path home = dir.resolve("jvm/jdk-17");
        Path real = home.resolve("bin/java");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"21.0.5\"\n");
        Files.createDirectories(dir.resolve("alternatives"));
        Files.createSymbolicLink(dir.resolve("alternatives/java"), real);
        Files.createDirectories(dir.resolve("bin"));
        return Files.createSymbolicLink(dir.resolve("bin/java"), Path.of("../alternatives/java"));
    }

    private static void chown(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    /** The problem RootOnlyPath finds after a snapshot that followed {@code java}, and the round trips it took after it. */
    private static Answer check(Host host, Path java) {
        FactsHost facts = FactsHost.of(host);
        facts.gather(new Snapshot.Request(List.of(), List.of(), List.of(), List.of(),
                List.of(new Snapshot.Follow(java, List.of(Path.of("../release"))))));
        long before = host.roundTrips();
        Optional<String> problem = RootOnlyPath.problem(facts, java, false);
        OptionalInt feature = AgentOnHost.feature(facts, java);
        return new Answer(problem, feature, host.roundTrips() - before);
    }

    private record Answer(Optional<String> problem, OptionalInt feature, long roundTrips) {}

    private void onBothHosts(Path java, Optional<String> problem) {
        try (Host ssh = SSHD.sshd().connectAsRoot(dir.resolve("run"))) {
            for (Host host : List.of(new LocalHost(dir.resolve("run")), ssh)) {
                Answer answer = check(host, java);
                assertEquals(new Answer(problem, OptionalInt.of(21), 0), answer, host.name());
            }
        }
    }

    @Test
    void aChainOnlyRootCanChangeIsAnsweredFromTheSnapshotWithItsFeatureRelease() throws IOException {
        onBothHosts(chain(), Optional.empty());
    }

    @Test
    void aLinkPlantedByAnotherUserOnTheChainIsStillRefusedFromTheSnapshot() throws IOException {
        Path java = chain();
        chown(dir.resolve("alternatives/java"), 1000);
        onBothHosts(java, Optional.of(dir.resolve("alternatives/java") + " is owned by uid 1000"));
    }

    @Test
    void aDirectoryAnotherUserOwnsOrCanWriteAtTheEndOfTheChainIsStillRefusedFromTheSnapshot() throws IOException {
        Path java = chain();
        Path home = dir.resolve("jvm/jdk-17");
        chown(home, 65534);
        onBothHosts(java, Optional.of(home + " is owned by uid 65534"));
        chown(home, 0);
        Files.setPosixFilePermissions(home.resolve("bin"), PosixFilePermissions.fromString("rwxrwxr-x"));
        onBothHosts(java, Optional.of(home.resolve("bin") + " is writable by group or others (0775)"));
    }
}
