package io.matrixinstall.db;

import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Host;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.FileSync;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.render.TemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {base_dir}/postgres-version: the major the database was moved to by `db upgrade` and the one whose volume is
 * still kept. It lives beside the data (not in the recorded configuration, which a plain `uninstall` removes), so
 * a later `up` with the default postgres.version cannot quietly start PostgreSQL 15 on the old volume.
 */
public record PostgresVersionFile(int version, OptionalInt previous) {

    public static Optional<PostgresVersionFile> read(Host host, Layout layout) {
        return host.read(layout.postgresVersionFile()).map(bytes -> parse(new String(bytes, StandardCharsets.UTF_8)));
    }

    static PostgresVersionFile parse(String text) {
        Map<String, String> values = new HashMap<>();
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        });
        try {
            return new PostgresVersionFile(Integer.parseInt(values.getOrDefault("version", "")),
                    values.containsKey("previous") ? OptionalInt.of(Integer.parseInt(values.get("previous"))) : OptionalInt.empty());
        } catch (NumberFormatException e) {
            throw new HostException("unreadable PostgreSQL version file (" + text.strip()
                    + "): it must hold `version: N`");
        }
    }

    /** Writes it through the gate (a listed change). */
    public void write(PlanContext context, TemplateRenderer renderer) {
        Map<String, Object> model = new HashMap<>();
        model.put("version", version);
        previous.ifPresent(p -> model.put("previous", p));
        FileSync.file(context, context.layout().postgresVersionFile(), renderer.render("matrix/postgres-version.ftl", model),
                Ownership.ROOT, Layout.PUBLIC_FILE);
    }
}
