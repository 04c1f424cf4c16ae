package io.matrixinstall.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The names of the templates packaged under {@code templates/}: in the agent's jar, or in the classes tests run from. */
final class PackagedTemplates {
    private static final String ROOT = "templates/";

    private PackagedTemplates() {}

    static List<String> names() throws IOException {
        Path location;
        try {
            location = Path.of(PackagedTemplates.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return List.of(); // nowhere to list them from: each is parsed when first rendered
        }
        if (Files.isDirectory(location)) {
            Path root = location.resolve(ROOT);
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(f -> f.toString().endsWith(".ftl")).map(f -> root.relativize(f).toString()).sorted().toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            return jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith(ROOT) && n.endsWith(".ftl"))
                    .map(n -> n.substring(ROOT.length())).sorted().toList();
        }
    }
}
