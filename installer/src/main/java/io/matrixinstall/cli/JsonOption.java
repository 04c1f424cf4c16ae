package io.matrixinstall.cli;

import picocli.CommandLine.Option;

/**
 * `--json`: JSON on stdout instead of readable lines, on the commands that report: one document (status, user
 * list, stats), or the stored JSON lines (history).
 */
public final class JsonOption {

    @Option(names = "--json", description = "Print JSON instead of readable lines (its shape: docs/operating.md).")
    boolean json;

    boolean json() {
        return json;
    }
}
