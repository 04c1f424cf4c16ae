package io.matrixinstall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code up --push-images} without {@code --host}: nothing to push to, refused in one line before any change. */
class PushImagesOptionTest {
    @TempDir
    Path dir;

    private String[] refused(String... extra) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = MatrixInstall.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("up", "--push-images", "--domain",
                "matrix.example.org", "--email", "admin@example.org", "--state-dir", dir.resolve("state").toString(),
                "--run-dir", dir.resolve("run").toString()), java.util.Arrays.stream(extra)).toArray(String[]::new);
        int exit = commandLine.execute(args);
        return new String[] {Integer.toString(exit), err.toString()};
    }

    @Test
    void locallyThereIsNothingToPushTo() {
        String[] run = refused();
        assertEquals("2", run[0]);
        assertEquals("matrix-install: --push-images: nothing to push to: without --host, up uses this machine's own engine,"
                + " where the images come from\n", run[1]);
        assertEquals(false, dir.resolve("state").toFile().exists(), "nothing recorded");
    }

    @Test
    void aRenderRootHasNoEngine() {
        String[] run = refused("--root", dir.resolve("tree").toString());
        assertEquals("2", run[0]);
        assertEquals("matrix-install: --push-images: a render root has no engine to push to\n", run[1]);
    }
}
