package io.matrixinstall.cli;

import picocli.CommandLine.Option;

/** `--json`: one JSON document on stdout instead of lines, on the commands that report (status, user list, stats). */
public final class JsonOption {

    @Option(names = "--json", description = "Print one JSON document instead of lines (its shape: docs/operating.md).")
    boolean json;

    boolean json() {
        return json;
    }
}
