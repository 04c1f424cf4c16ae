package io.matrixinstall.proxy;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.Commands;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import java.nio.file.Path;
import java.util.Optional;

/** nginx reading the agent's files as they are: a reload applies every change, nothing to wait for. */
final class PlainNginxProxy implements ProxyFlavor {

    @Override
    public Command refresh(ComposeCli cli, String project, Path composeFile) {
        return Commands.nginxReload(cli, project, composeFile);
    }

    @Override
    public String refreshVerb() {
        return "reload";
    }

    @Override
    public void awaitServing(PlanContext context) {
        // The certificate step put the files in place before nginx started or reloaded.
    }

    @Override
    public Optional<String> certificateStatus(Host host, DockerCli docker, InstallConfig config) {
        return Optional.empty(); // status reads the agent's own files
    }
}
