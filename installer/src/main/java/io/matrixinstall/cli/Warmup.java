package io.matrixinstall.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matrixinstall.host.LocalHost;
import io.matrixinstall.render.TemplateRenderer;
import io.matrixinstall.tls.CertificateFiles;
import java.util.Arrays;

/**
 * The slow first uses nearly every run makes — Jackson (the history line, the engine's answers), FreeMarker's parser
 * (every packaged template parsed into the shared cache), the JDK's EC signatures (the certificate pair's key check)
 * and, on this machine, JNA's native library behind the no-follow file calls — made on a daemon thread while picocli
 * parses the command line on the main one (a small server has two cores; the main thread later finds the classes
 * ready). Nothing is read or written on the host; a failure here is left for the real use to report.
 */
final class Warmup {
    private Warmup() {}

    static void start(String[] args) {
        boolean local = Arrays.stream(args).noneMatch(arg -> arg.equals("--host") || arg.startsWith("--host="));
        Thread thread = new Thread(() -> {
            try {
                if (local) {
                    LocalHost.warmUp();
                }
                ObjectMapper json = new ObjectMapper();
                json.writeValueAsString(json.readTree("{\"warm-up\":[1,\"a\",true]}"));
                new TemplateRenderer().warmUp();
                CertificateFiles.warmUp();
            } catch (Exception | LinkageError e) {
                // the real use reports it, in its own words
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
