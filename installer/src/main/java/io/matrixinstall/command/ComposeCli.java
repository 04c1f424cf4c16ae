package io.matrixinstall.command;

import java.util.List;

/** The two Compose front ends the product supports: the v2 plugin and the v1 standalone program. */
public enum ComposeCli {
    V2(List.of("docker", "compose")),
    V1(List.of("docker-compose"));

    private final List<String> prefix;

    ComposeCli(List<String> prefix) {
        this.prefix = prefix;
    }

    public List<String> prefix() {
        return prefix;
    }
}
