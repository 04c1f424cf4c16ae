package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.config.Branding;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.CopiedFile;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.ManagedDirectory;
import io.matrixinstall.render.ContentHash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Element's branding (element.welcome_page, element.logo, element.default_theme): the operator's files copied into
 * {@link Layout#brandingDir}, which the compose template mounts at /app/branding in the element container, and the
 * values Element's config.json names them by. Removing a key removes its file; without files the directory goes.
 */
final class ElementBranding implements Component {
    /** Every name a copied logo can have ({@link Branding#logo}): the ones an earlier configuration may have left. */
    private static final List<String> LOGO_TYPES = List.of("png", "jpg", "gif", "webp", "svg");
    private static final String WELCOME = "welcome.html";

    @Override
    public String name() {
        return "element branding";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        Branding branding = config.branding();
        return branding.hasFiles() || branding.theme().isPresent();
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return "no element.welcome_page, element.logo or element.default_theme";
    }

    @Override
    public List<ManagedDirectory> directories(Layout layout) {
        return layout.config().branding().hasFiles() ? List.of(new ManagedDirectory(layout.brandingDir(), ROOT, Layout.DIR))
                : List.of();
    }

    @Override
    public List<CopiedFile> copies(Layout layout) {
        Branding branding = layout.config().branding();
        List<CopiedFile> files = new ArrayList<>();
        for (Optional<Branding.File> file : List.of(branding.welcomePage(), branding.logo())) {
            file.ifPresent(f -> files.add(new CopiedFile(layout.brandingDir().resolve(f.name()), f.content(), ROOT,
                    Layout.PUBLIC_FILE)));
        }
        return files;
    }

    /**
     * URLs relative to Element (served at the root), each with its content's hash so that browsers fetch a changed
     * file at once; the templates test {@code branding??}.
     */
    @Override
    public Map<String, Object> templateValues(InstallConfig config) {
        Branding branding = config.branding();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("files", branding.hasFiles());
        values.put("welcome_url", branding.welcomePage().map(ElementBranding::url).orElse(""));
        values.put("logo_url", branding.logo().map(ElementBranding::url).orElse(""));
        values.put("theme", branding.theme().orElse(""));
        return Map.of("branding", values);
    }

    private static String url(Branding.File file) {
        return "branding/" + file.name() + "?v="
                + new ContentHash().file(Path.of(file.name()), file.content()).hex().substring(0, 12);
    }

    @Override
    public List<Leftover> leftovers(Layout layout) {
        List<Leftover> all = new ArrayList<>();
        all.add(Leftover.file(layout.brandingDir().resolve(WELCOME)));
        LOGO_TYPES.forEach(type -> all.add(Leftover.file(layout.brandingDir().resolve("logo." + type))));
        all.add(Leftover.directory(layout.brandingDir()));
        return all;
    }

    /** While on: the file of a key no longer set (or a logo of another type), and the directory once it holds none. */
    @Override
    public List<Leftover> obsolete(Layout layout) {
        Branding branding = layout.config().branding();
        Path dir = layout.brandingDir();
        List<Leftover> obsolete = new ArrayList<>();
        if (branding.welcomePage().isEmpty()) {
            obsolete.add(Leftover.file(dir.resolve(WELCOME)).because("element.welcome_page is not set"));
        }
        String logo = branding.logo().map(Branding.File::name).orElse("");
        LOGO_TYPES.stream().map(type -> "logo." + type).filter(name -> !name.equals(logo)).forEach(name -> obsolete.add(
                Leftover.file(dir.resolve(name)).because(logo.isEmpty() ? "element.logo is not set" : "element.logo is now " + logo)));
        if (!branding.hasFiles()) {
            obsolete.add(Leftover.directory(dir).because("no element.welcome_page or element.logo"));
        }
        return obsolete;
    }

    @Override
    public List<String> statusLines(StatusSource source) {
        Branding branding = source.config().branding();
        List<String> parts = new ArrayList<>();
        branding.welcomePage().ifPresent(f -> parts.add("welcome page"));
        branding.logo().ifPresent(f -> parts.add("logo"));
        branding.theme().ifPresent(theme -> parts.add(theme + " theme"));
        return List.of("element branding: " + String.join(", ", parts));
    }
}
