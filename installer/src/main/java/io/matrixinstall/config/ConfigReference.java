package io.matrixinstall.config;

/**
 * Renders docs/configuration-reference.md from {@link ConfigKey}, so the documented keys, defaults and rules are
 * the ones the loader uses. ConfigReferenceTest fails when the committed file differs.
 */
public final class ConfigReference {
    /** How to bring the committed file up to date; named in the file and in the test's failure. */
    public static final String REGENERATE =
            "mvn -B -ntp -q -pl installer test -Dtest=ConfigReferenceTest -Dregenerate=true";

    private ConfigReference() {}

    public static String markdown() {
        StringBuilder out = new StringBuilder()
                .append("<!-- Generated from installer/src/main/java/io/matrixinstall/config/ConfigKey.java; do not edit.\n")
                .append("     Regenerate: ").append(REGENERATE).append(" -->\n")
                .append("# Configuration reference\n\n")
                .append("Every key of the configuration file, `--set key=value` and the recorded configuration. How they")
                .append(" combine, and the\nrules for directories and files: [Configuration](configuration.md).\n\n")
                .append("| key | default | what it is / accepted values | notes |\n")
                .append("|---|---|---|---|\n");
        for (ConfigKey key : ConfigKey.values()) {
            out.append("| `").append(key.key()).append("` | ")
                    .append(key.defaultValue().map(value -> "`" + value + "`").orElse("—")).append(" | ")
                    .append(cell(key.help())).append(" | ")
                    .append(cell(key.notes())).append(" |\n");
        }
        return out.toString();
    }

    /** A table cell: '|' escaped everywhere, '<' outside code spans (else Markdown takes it for an HTML tag). */
    private static String cell(String text) {
        String[] spans = text.replace("|", "\\|").split("`", -1);
        for (int i = 0; i < spans.length; i += 2) {
            spans[i] = spans[i].replace("<", "&lt;");
        }
        return String.join("`", spans);
    }
}
