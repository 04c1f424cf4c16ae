package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LocalHost resolves as SshHost does, with getent on the machine, not with its own JVM: a JVM told to read another
 * hosts file (-Djdk.net.hosts.file, which getent never reads) finds a name there that LocalHost must not, and both
 * agree on what the machine's /etc/hosts says. A second JVM, because the option is read once, at start.
 */
class LocalHostResolveTest {
    @TempDir
    Path dir;

    private List<String> probe(String name) throws IOException, InterruptedException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.9 only-the-jvm.test\n127.0.0.1 localhost\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                ResolveProbe.class.getName(), dir.resolve("run").toString(), name).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out.lines().toList();
    }

    @Test
    void aNameOnlyTheJvmsHostsFileGivesIsNotTheMachines() throws Exception {
        assertEquals(List.of("jvm [127.0.0.9]", "host []"), probe("only-the-jvm.test"));
    }

    @Test
    void theMachinesOwnNamesResolveThroughGetent() throws Exception {
        List<String> lines = probe("localhost");
        assertEquals("jvm [127.0.0.1]", lines.get(0));
        assertEquals(true, lines.get(1).matches("host \\[.*(127\\.0\\.0\\.1|::1).*]"), lines.toString());
    }
}
