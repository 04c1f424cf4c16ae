package io.matrixinstall.component;

import static io.matrixinstall.host.Ownership.ROOT;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.layout.RenderedFile;
import java.util.List;
import java.util.Set;

/** Element Web: its config.json, read at start. */
final class Element implements Component {
    static final String SERVICE = "element";

    @Override
    public String name() {
        return "element";
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return true;
    }

    @Override
    public List<RenderedFile> files(Layout layout) {
        return List.of(Layout.file(layout.elementConfig(), "matrix/element-config.json.ftl", ROOT, Layout.PUBLIC_FILE,
                Set.of(SERVICE)));
    }

    @Override
    public List<ComposeService> services(Layout layout) {
        InstallConfig config = layout.config();
        return List.of(new ComposeService(SERVICE, config.projects().matrix(), layout.composeFile(), config.images().element()));
    }
}
