package io.matrixinstall.component;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.host.Host;
import io.matrixinstall.layout.Layout;

/** What `status` lets a component look at: the host, its engine (read live), the configuration and its layout. */
public record StatusSource(Host host, DockerCli docker, InstallConfig config, Layout layout) {}
