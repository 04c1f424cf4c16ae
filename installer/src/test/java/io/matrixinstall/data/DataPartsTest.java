package io.matrixinstall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.steps.WaitHealthyStep;
import io.matrixinstall.command.Commands;
import io.matrixinstall.component.Components;
import io.matrixinstall.config.ConfigLoader;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.StateDir;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.PreconditionException;
import io.matrixinstall.plan.Step;
import io.matrixinstall.secrets.Secret;
import io.matrixinstall.steps.SecretsStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of backup, restore and migrate that need no engine: manifest rules, checks before any change, argv. */
class DataPartsTest {
    @TempDir
    Path dir;

    private final InstallConfig config = ConfigLoader.load(Optional.empty(),
            Map.of("domain", "matrix.example.org", "email", "admin@example.org", "tls.mode", "none"));

    private PlanContext context() {
        return new PlanContext(config, new LocalHost(dir.resolve("run")), ChangeGate.recording(line -> {}));
    }

    /** A backup directory (root 0700) of the required parts and a real media archive, with a true manifest for {@code serverName}. */
    private Path backup(String serverName) throws Exception {
        Path media = TestBackups.tar(dir.resolve("media.tar"), TestBackups.mediaSource(dir.resolve("media-source")), "media_store");
        return TestBackups.backup(dir.resolve("backup"), media, Map.of(), serverName);
    }

    @Test
    void aTrueBackupOfThisServerPassesAndItsManifestRoundTrips() throws Exception {
        VerifyBackupStep verify = new VerifyBackupStep(backup("matrix.example.org"));
        verify.run(context());
        assertEquals("matrix.example.org", verify.manifest().serverName());
        assertEquals(VerifyBackupStep.REQUIRED.size(), verify.manifest().parts().size());
        assertEquals(verify.manifest(), Manifest.parse(verify.manifest().toJson()));
    }

    @Test
    void anotherServerNameACorruptedOrMissingPartOrNoManifestIsRefused() throws Exception {
        Path other = backup("other.example.org");
        String message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(other).run(context())).getMessage();
        assertTrue(message.contains("is of server 'other.example.org' but this install serves 'matrix.example.org'"), message);

        Files.deleteIfExists(other.resolve(Manifest.FILE));
        Path good = backup("matrix.example.org");
        Files.writeString(good.resolve("media.tar"), "part media.taR");
        message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(good).run(context())).getMessage();
        assertTrue(message.startsWith(good.resolve("media.tar") + " is corrupted"), message);

        Files.delete(good.resolve("media.tar"));
        message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(good).run(context())).getMessage();
        assertTrue(message.contains("media.tar is missing or unreadable"), message);

        Files.delete(good.resolve(Manifest.FILE));
        message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(good).run(context())).getMessage();
        assertTrue(message.contains("is not a backup (no manifest.json"), message);
    }

    @Test
    void aBackupWhoseSecretIsNotOneMatrixInstallWritesIsRefusedNamingTheFile() throws Exception {
        Path backup = backup("matrix.example.org");
        Path secret = backup.resolve("secrets/form_secret");
        byte[] tampered = "abc\"\ninjected: 1".getBytes(StandardCharsets.UTF_8);
        Files.write(secret, tampered);
        // The manifest agrees (it was taken so, or rewritten): the digest check alone would pass it.
        Manifest manifest = VerifyBackupStep.open(context().host(), backup);
        List<Manifest.Part> parts = new ArrayList<>();
        for (Manifest.Part part : manifest.parts()) {
            parts.add(part.name().equals("secrets/form_secret") ? new Manifest.Part(part.name(), "/somewhere", tampered.length,
                    TestBackups.sha256(tampered)) : part);
        }
        Files.write(backup.resolve(Manifest.FILE), new Manifest(1, "matrix-install test", "2026-11-25T00:00:00Z",
                "matrix.example.org", "matrix.example.org", "1.0", "15.10", parts).toJson());
        String message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(backup).run(context())).getMessage();
        assertTrue(message.startsWith(secret + ": "), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void aBackupCarriesTheSecretsOfTheEnabledComponentsAndARestoreTakesThoseItsConfigurationWants() throws Exception {
        InstallConfig turn = ConfigLoader.load(Optional.empty(), Map.of("domain", "matrix.example.org",
                "email", "admin@example.org", "tls.mode", "none", "turn.enabled", "true"));
        StateDir state = new StateDir(dir.resolve("state"));
        LocalHost host = new LocalHost(dir.resolve("run"));
        assertTrue(BackupStep.smallParts(host, new Layout(turn), state).containsKey("secrets/turn_shared_secret"));
        assertFalse(BackupStep.smallParts(host, new Layout(config), state).containsKey("secrets/turn_shared_secret"));
        assertTrue(BackupStep.smallParts(host, new Layout(config), state).keySet().containsAll(VerifyBackupStep.REQUIRED
                .stream().filter(part -> part.startsWith("secrets/")).toList()));

        // Taken with TURN on: restored with TURN on, the backup's secret is placed (Synapse and coturn then share it).
        String secret = "TurnSecretOfTheBackup0123456789a";
        Path media = TestBackups.tar(dir.resolve("media.tar"), TestBackups.mediaSource(dir.resolve("media-source")), "media_store");
        VerifyBackupStep withTurn = new VerifyBackupStep(TestBackups.backup(dir.resolve("with-turn"), media,
                Map.of("secrets/turn_shared_secret", secret)));
        withTurn.run(context());
        assertEquals(secret, withTurn.keys(true, Components.secrets(turn)).secrets().get(Secret.TURN_SHARED_SECRET));
        assertFalse(withTurn.keys(true, Components.secrets(config)).secrets().containsKey(Secret.TURN_SHARED_SECRET),
                "restored with TURN off: nothing of it is placed");
        // An older backup (or one taken with TURN off) restored with TURN on: a new secret is generated.
        VerifyBackupStep without = new VerifyBackupStep(TestBackups.backup(dir.resolve("without-turn"), media, Map.of()));
        without.run(context());
        assertFalse(without.keys(true, Components.secrets(turn)).secrets().containsKey(Secret.TURN_SHARED_SECRET));
        assertEquals(Set.of(Secret.REGISTRATION_SHARED_SECRET, Secret.MACAROON_SECRET_KEY, Secret.FORM_SECRET),
                without.keys(false, Components.secrets(turn)).secrets().keySet());

        // Its value must still be one the agent writes, as every secret's.
        Path tampered = TestBackups.backup(dir.resolve("tampered"), media, Map.of("secrets/turn_shared_secret", "x\nno-auth"));
        String message = assertThrows(PreconditionException.class, () -> new VerifyBackupStep(tampered).run(context()))
                .getMessage();
        assertTrue(message.startsWith(tampered.resolve("secrets/turn_shared_secret") + ": not a secret"), message);
    }

    @Test
    void aManifestNamingPartsOutsideTheBackupIsRefused() {
        String sha = "0".repeat(64);
        for (String name : List.of("../../etc/shadow", "/etc/shadow", "secrets/../../x", "a b")) {
            byte[] json = new Manifest(1, "p", "t", "matrix.example.org", "d", "s", "p",
                    List.of(new Manifest.Part(name, "/x", 1, sha))).toJson();
            assertThrows(IllegalArgumentException.class, () -> Manifest.parse(json), name);
        }
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse(new Manifest(2, "p", "t", "m", "d", "s", "p",
                List.of()).toJson()));
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse("{]".getBytes(StandardCharsets.UTF_8)));
    }

    private String migrateRefusal(byte[] dump, String key, String secret, Path media) throws Exception {
        Files.write(dir.resolve("dump"), dump);
        Files.writeString(dir.resolve("key"), key);
        return assertThrows(PreconditionException.class, () -> new MigrateInputsStep(dir.resolve("dump"), dir.resolve("key"),
                secret, Optional.ofNullable(media)).run(context())).getMessage();
    }

    @Test
    void migrateRefusesSqliteOtherFilesBadKeysSecretsAndMediaBeforeAnyChange() throws Exception {
        String key = "ed25519 a_old " + "A".repeat(43) + "\n";
        byte[] sqlite = new byte[100];
        System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, sqlite, 0, 16);
        String message = migrateRefusal(sqlite, key, "s", null);
        assertTrue(message.contains("is an SQLite database") && message.contains("synapse_port_db"), message);
        message = migrateRefusal("-- PostgreSQL database dump\n".getBytes(StandardCharsets.UTF_8), key, "s", null);
        assertTrue(message.contains("is not a pg_dump custom-format archive"), message);
        byte[] custom = "PGDMP\1\16\0".getBytes(StandardCharsets.ISO_8859_1);
        message = migrateRefusal(custom, "not a key", "s", null);
        assertTrue(message.startsWith("--signing-key: "), message);
        message = migrateRefusal(custom, key, "two\nlines", null);
        assertTrue(message.startsWith("--macaroon-secret: "), message);
        message = migrateRefusal(custom, key, "s", dir.resolve("no-such-media"));
        assertTrue(message.startsWith("--media: "), message);

        MigrateInputsStep fine = new MigrateInputsStep(dir.resolve("dump"), dir.resolve("key"), "s", Optional.of(dir));
        fine.run(context());
        assertEquals(key, fine.signingKey());
    }

    @Test
    void restoreAndMigratePlaceTheKeysRightBeforeUpsSecretsStep() {
        List<Step> steps = DataPlans.upWith(config, new StateDir(dir.resolve("state")), c -> null);
        int place = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof PlaceKeysStep) {
                place = i;
            }
        }
        assertTrue(place >= 0 && steps.get(place + 1) instanceof SecretsStep, steps.toString());
        assertTrue(steps.stream().noneMatch(s -> s instanceof WaitHealthyStep),
                "Synapse is waited for once, on the imported data");
    }

    @Test
    void mediaGoesAsATarStreamAndEverySizeAndDigestIsTakenOnTheHost() {
        assertEquals(List.of("tar", "--numeric-owner", "-C", "/data/matrix/files", "-cf", "-", "media_store"),
                Commands.tarCreate(Path.of("/data/matrix/files"), "media_store").argv());
        assertEquals(List.of("sh", "-c", "umask 022 && exec tar --no-same-owner --no-same-permissions --no-xattrs --no-acls"
                + " --no-selinux -C \"$1\" -xf \"$2\"", "sh", "/staging/media", "/staging/media.tar"),
                Commands.tarExtract(Path.of("/staging/media.tar"), Path.of("/staging/media")).argv());
        assertEquals(List.of("sha256sum", "--", "/b/a", "/b/c"), Commands.sha256(List.of(Path.of("/b/a"), Path.of("/b/c"))).argv());
        assertEquals(List.of("head", "-c", "16", "--", "/x.dump"), Commands.fileHead(Path.of("/x.dump"), 16).argv());
        assertEquals("1.5 MiB", Sizes.human(1536 * 1024));
    }

    @Test
    void aMediaArchiveMayHoldOnlyRegularFilesAndDirectoriesUnderItsTop() {
        for (TarListing.Entry fine : List.of(new TarListing.Entry('d', "media_store/"), new TarListing.Entry('-',
                "media_store/local_content/ab/cd\\nef"), new TarListing.Entry('-', "media_store/a b -> c link to d"))) {
            assertEquals(Optional.empty(), TarListing.problem(fine, "media_store"), fine.toString());
        }
        assertEquals(Optional.empty(), TarListing.problem(new TarListing.Entry('d', "./"), "."));
        assertEquals(Optional.empty(), TarListing.problem(new TarListing.Entry('-', "./local_content/x"), "."));
        Map<TarListing.Entry, String> refused = Map.of(
                new TarListing.Entry('-', "homeserver.yaml"), "'homeserver.yaml', outside media_store/",
                new TarListing.Entry('-', "./media_store/x"), "'./media_store/x', outside media_store/",
                new TarListing.Entry('-', "media_store/../homeserver.yaml"), "'media_store/../homeserver.yaml', a name with '..'",
                new TarListing.Entry('-', "/etc/cron.d/x"), "'/etc/cron.d/x', an absolute name",
                new TarListing.Entry('l', "media_store/l"), "'media_store/l', a symbolic link",
                new TarListing.Entry('h', "media_store/h"), "'media_store/h', a hard link",
                new TarListing.Entry('c', "media_store/null"), "'media_store/null', a character device",
                new TarListing.Entry('b', "media_store/sda"), "'media_store/sda', a block device",
                new TarListing.Entry('-', "media_store"), "'media_store', not a directory",
                new TarListing.Entry('V', "media_store/label"), "'media_store/label', a member of type 'V'");
        refused.forEach((entry, why) -> assertEquals(Optional.of(why), TarListing.problem(entry, "media_store")));
    }
}
