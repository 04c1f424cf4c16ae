package io.matrixinstall.render;

import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The content every rendered file should have, computed once from the configuration and secrets.
 *
 * <p>Each compose service carries a label ({@code Commands.INPUTS_LABEL}) hashing what the container is made
 * from: its own definition in the compose file plus the content of every file it reads only at start
 * (homeserver.yaml for synapse, element-config.json for element). Compose records labels on the container
 * when it creates it, so the running container itself says which inputs it was started with; comparing
 * that with the files on disk tells what still needs applying, whatever an earlier, killed run did.
 */
public final class WantedFiles {
    private final Map<Path, byte[]> contents;
    private final Map<String, String> inputs;

    private WantedFiles(Map<Path, byte[]> contents, Map<String, String> inputs) {
        this.contents = contents;
        this.inputs = inputs;
    }

    /** {@code files}: every file to render, with {@code model} (the components put both together). */
    public static WantedFiles render(TemplateRenderer renderer, Map<String, Object> model, List<RenderedFile> files,
            Layout layout) {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (RenderedFile file : files) {
            if (!isCompose(layout, file.path())) {
                contents.put(file.path(), renderer.render(file.template(), model));
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        for (RenderedFile compose : files) {
            if (isCompose(layout, compose.path())) {
                // First pass without labels: the service definitions the labels hash.
                String unlabelled = new String(renderer.render(compose.template(), model), StandardCharsets.UTF_8);
                for (Map.Entry<String, Object> service : services(unlabelled).entrySet()) {
                    inputs.put(service.getKey(), hash(service.getKey(), service.getValue(), files, contents));
                }
            }
        }
        Map<String, Object> labelled = new LinkedHashMap<>(model);
        labelled.put("inputs", inputs);
        Map<Path, byte[]> ordered = new LinkedHashMap<>();
        for (RenderedFile file : files) {
            ordered.put(file.path(), isCompose(layout, file.path()) ? renderer.render(file.template(), labelled)
                    : contents.get(file.path()));
        }
        return new WantedFiles(ordered, Map.copyOf(inputs));
    }

    /** The wanted bytes of a rendered file of the layout. */
    public byte[] content(Path path) {
        return Optional.ofNullable(contents.get(path))
                .orElseThrow(() -> new IllegalArgumentException(path + " is not a rendered file"));
    }

    /** The inputs label each compose service should carry; empty for a service no compose file defines. */
    public Optional<String> inputs(String service) {
        return Optional.ofNullable(inputs.get(service));
    }

    private static boolean isCompose(Layout layout, Path path) {
        return path.equals(layout.composeFile()) || path.equals(layout.proxyCompose());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services(String composeYaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(composeYaml);
        return (Map<String, Object>) ((Map<String, Object>) root).get("services");
    }

    private static String hash(String service, Object definition, List<RenderedFile> files, Map<Path, byte[]> contents) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        ContentHash hash = new ContentHash().text(new Yaml(new Representer(options), options).dump(definition));
        files.stream().filter(f -> f.services().contains(service)).sorted(Comparator.comparing(RenderedFile::path))
                .forEach(f -> hash.file(f.path(), contents.get(f.path())));
        return "sha256:" + hash.hex();
    }
}
