package io.matrixinstall.proxy;

import io.matrixinstall.host.Command;
import io.matrixinstall.command.ComposeCli;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerCli;
import io.matrixinstall.host.Host;
import io.matrixinstall.plan.PlanContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What differs between the two public proxies: plain nginx serving certificates the agent writes, and the
 * seed's jonasal/nginx-certbot, whose own scripts obtain them and decide which server blocks are loaded.
 */
public interface ProxyFlavor {

    static ProxyFlavor of(InstallConfig config) {
        return config.tls().mode() == InstallConfig.TlsMode.NGINX_CERTBOT ? new CertbotProxy() : new PlainNginxProxy();
    }

    /** How the running proxy takes changed server blocks or certificates. */
    Command refresh(ComposeCli cli, String project, Path composeFile);

    /** The change line's verb for {@link #refresh}, e.g. "reload". */
    String refreshVerb();

    /** After the proxy stack is up: returns once nginx serves TLS for the domain, or fails within --timeout. */
    void awaitServing(PlanContext context);

    /** For `status`: what the proxy says about the domain's certificate, when the agent does not hold it. */
    Optional<String> certificateStatus(Host host, DockerCli docker, InstallConfig config);
}
