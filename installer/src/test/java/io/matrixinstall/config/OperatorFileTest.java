package io.matrixinstall.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.host.OperatorFile;
import io.matrixinstall.tls.CertificateFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file the operator names is read capped: devices, FIFOs, directories and huge files are one line. */
class OperatorFileTest {
    @TempDir
    Path dir;

    private static String error(Map<String, String> settings) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), settings)).getMessage();
    }

    private static Map<String, String> filesMode(String certificate, String key) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("domain", "matrix.example.org");
        flags.put("email", "admin@example.org");
        flags.put("tls.mode", "files");
        flags.put("tls.files.certificate", certificate);
        flags.put("tls.files.key", key);
        return flags;
    }

    private Path fifo() throws IOException, InterruptedException {
        Path fifo = dir.resolve("key.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        return fifo;
    }

    private Path sparse(String name, long size) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    @Test
    void devZeroAsCertificateIsRefusedNotReadUntilMemoryRunsOut() {
        assertEquals("tls.files.certificate: /dev/zero is not a regular file", error(filesMode("/dev/zero", "/dev/zero")));
    }

    @Test
    void aFifoAsKeyIsRefusedWithoutBlocking() throws Exception {
        Path certificate = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path fifo = fifo();
        assertEquals("tls.files.key: " + fifo + " is not a regular file", error(filesMode(certificate.toString(),
                fifo.toString())));
    }

    @Test
    void aDirectoryAsSynapseExtraConfigIsRefused() {
        Map<String, String> flags = filesMode("/x", "/y");
        flags.remove("tls.mode");
        flags.remove("tls.files.certificate");
        flags.remove("tls.files.key");
        flags.put("synapse.extra_config", dir.toString());
        assertEquals("synapse.extra_config: " + dir + " is not a regular file (a directory)", error(flags));
    }

    @Test
    void aFileOverOneMebibyteIsRefusedAndOneAtTheCapIsRead() throws IOException {
        Map<String, String> flags = filesMode("/x", "/y");
        flags.remove("tls.mode");
        flags.remove("tls.files.certificate");
        flags.remove("tls.files.key");
        Path big = sparse("ca.pem", OperatorFile.MAX_BYTES + 1L);
        flags.put("tls.acme.ca_certificate", big.toString());
        assertEquals("tls.acme.ca_certificate: " + big + " is larger than 1 MiB", error(flags));
        assertEquals(OperatorFile.MAX_BYTES, OperatorFile.bytes(sparse("at-cap", OperatorFile.MAX_BYTES)).length);
    }

    @Test
    void theConfigFileItselfIsCappedToo() throws IOException {
        assertEquals("config: /dev/zero is not a regular file", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Optional.of(Path.of("/dev/zero")), Map.of())).getMessage());
        Path big = sparse("matrix-install.yaml", 5L << 20);
        assertEquals("config: " + big + " is larger than 1 MiB", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Optional.of(big), Map.of())).getMessage());
    }

    @Test
    void textThatIsNotUtf8IsNamed() throws IOException {
        Path latin1 = Files.write(dir.resolve("extra.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
        assertEquals("synapse.extra_config: " + latin1 + " is not UTF-8 text",
                assertThrows(ConfigException.class, () -> ConfigLoader.readOperatorFile("synapse.extra_config", latin1)).getMessage());
    }

    @Test
    void certificateFilesReadFromPathsAreCappedAlike() throws Exception {
        Path fifo = fifo();
        assertEquals("/dev/zero is not a regular file", assertThrows(IllegalArgumentException.class,
                () -> CertificateFiles.checkUsable(Path.of("/dev/zero"), fifo, "matrix.example.org", Instant.now()))
                .getMessage());
        assertEquals(fifo + " is not a regular file", assertThrows(IllegalArgumentException.class,
                () -> CertificateFiles.checkUsable(sparse("chain.pem", 10), fifo, "matrix.example.org", Instant.now()))
                .getMessage());
    }
}
