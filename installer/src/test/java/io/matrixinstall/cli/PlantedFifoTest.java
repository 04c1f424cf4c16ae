package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.matrixinstall.host.Fifo;
import io.matrixinstall.host.TestSshd;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO that Synapse's uid planted at homeserver.yaml (its own directory) once made root's read wait forever, and
 * with it every later run, a scheduled one too, which holds the host lock meanwhile. `up`, which reads the installed
 * homeserver.yaml under the lock before it changes anything, now ends at once with one line, locally and over SSH
 * (a real sshd on 127.0.0.1:22600).
 */
class PlantedFifoTest {
    static final int PORT = TestSshd.freePort();

    @TempDir
    Path dir;

    private List<String> up() {
        Path tree = dir.resolve("tree");
        return new ArrayList<>(List.of("up", "--domain", "matrix.example.org", "--email", "admin@example.org",
                "--tls", "none", "--base-dir", tree + "/data/matrix",
                "--set", "proxy_dir=" + tree + "/root/nginx", "--set", "proxy_data_dir=" + tree + "/data/nginx",
                "--set", "renewal.agent_dir=" + tree + "/agent", "--set", "renewal.cron_dir=" + tree + "/cron.d",
                "--set", "refresh.schedule=off", "--state-dir", dir.resolve("state").toString(),
                "--run-dir", dir.resolve("run").toString()));
    }

    private Path plantedConfig() throws Exception {
        Path files = Files.createDirectories(dir.resolve("tree/data/matrix/files"));
        Files.setAttribute(files, "unix:uid", 991, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(files, "unix:gid", 991, LinkOption.NOFOLLOW_LINKS);
        return files.resolve("homeserver.yaml");
    }

    private static void assertRefusedAtOnce(List<String> args, Path config) {
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of(args.toArray(String[]::new)));
        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.err().lines().filter(line -> line.startsWith("matrix-install: ")).toList();
        assertEquals(List.of("matrix-install: refusing to read " + config + ": it is a FIFO, not a regular file;"
                + " remove it and run again"), lines, run.err());
    }

    @Test
    void upOnThisMachineRefusesAFifoAtTheConfigInOneLine() throws Exception {
        Path config = plantedConfig();
        try (Fifo pipe = Fifo.plant(config, 991)) {
            assertRefusedAtOnce(up(), config);
        }
    }

    @Test
    void upOverSshRefusesAFifoAtTheConfigInOneLine() throws Exception {
        Path config = plantedConfig();
        try (TestSshd sshd = new TestSshd(Files.createDirectories(dir.resolve("sshd")), PORT);
                Fifo pipe = Fifo.plant(config, 991)) {
            List<String> args = up();
            args.addAll(List.of("--host", "root@127.0.0.1:" + PORT, "--identity", sshd.clientKey.toString(),
                    "--known-hosts", sshd.knownHosts.toString()));
            assertRefusedAtOnce(args, config);
        }
    }
}
